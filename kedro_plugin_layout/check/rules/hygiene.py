"""KL5xx hygiene: data and models stay out of git (their folders stay in), and the
project's requirements name Kedro."""

from __future__ import annotations

from kedro_ml_starter.manifest import Manifest
from kedro_plugin_layout.check.rules.base import Finding, Outcome, Rule, failed, failures, passed
from kedro_plugin_layout.project.dvc import DvcTracked


class HygieneRule(Rule):
    family = "hygiene"


def gitignore_findings(folder: str, gitignore: dict[str, bool]) -> list[Finding]:
    findings = []
    leaked = [p for p in (f"{folder}/file.csv", f"{folder}/nested/file.parquet")
              if not gitignore[p]]
    if leaked:
        findings.append(Finding(
            f".gitignore lets the contents of `{folder}/` into git (e.g. `{leaked[0]}`): add "
            f"`{folder}/**` (or a parent pattern) to .gitignore", ".gitignore",
        ))
    if gitignore[f"{folder}/.gitkeep"]:
        findings.append(Finding(
            f".gitignore also ignores `{folder}/.gitkeep`, so a fresh clone lacks the folder: "
            f"add `!{folder}/**/` and `!{folder}/**/.gitkeep` after the ignore pattern",
            ".gitignore",
        ))
    return findings


class KL501(HygieneRule):
    """.gitignore keeps the contents of each data folder out of git but keeps the folders.

    `git check-ignore` answers when the project is a git repository; otherwise a small
    gitignore matcher reads `.gitignore`. A folder DVC tracks as a whole is DVC's: DVC keeps
    it out of git and `dvc pull` restores it, so it is not asked for here.
    """

    fix = ("Add `data/<folder>/**` (or a parent pattern) to `.gitignore`, then "
           "`!data/<folder>/**/` and `!data/<folder>/**/.gitkeep`, or run `kedro layout fix`, "
           "which appends these lines.")

    def check(self, *, manifest: Manifest, gitignore: dict[str, bool],
              dvc: DvcTracked) -> Outcome:
        return failures(
            finding for d in manifest.data
            for folder in [f"{manifest.data_root}/{d.folder}"]
            if not dvc.keeps_out_of_git(folder)
            for finding in gitignore_findings(folder, gitignore)
        )


class KL502(HygieneRule):
    """.gitignore keeps the contents of models/ out of git but keeps the folder.

    Not asked when DVC tracks the models folder as a whole.
    """

    fix = ("Add `models/**` to `.gitignore`, then `!models/**/` and `!models/**/.gitkeep`, or run "
           "`kedro layout fix`, which appends these lines.")

    def check(self, *, manifest: Manifest, gitignore: dict[str, bool],
              dvc: DvcTracked) -> Outcome:
        if dvc.keeps_out_of_git(manifest.models):
            return passed()
        return failures(gitignore_findings(manifest.models, gitignore))


class KL503(HygieneRule):
    """requirements.txt names kedro.

    Each line is read as pip reads it: PEP 508 requirements, direct references included
    (`kedro @ git+https://…` names kedro), `-r` includes, `-e URL#egg=NAME`. Skipped when
    KL106 fails (there is no requirements.txt).
    """

    fix = "Add a line such as `kedro~=1.7.0` to requirements.txt."

    requires = ("KL106",)

    def check(self, *, requirements: tuple[str, ...] | None) -> Outcome:
        if requirements is not None and "kedro" in requirements:
            return passed()
        return failed("requirements.txt does not name kedro: add a line such as "
                      "`kedro~=1.7.0` so the project installs the Kedro it was built with",
                      "requirements.txt")
