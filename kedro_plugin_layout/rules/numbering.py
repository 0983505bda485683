"""KL2xx numbering: numbered prefixes are two-digit, unique and contiguous, and the stage
folders on disk are the stages of the manifest, each with a non-empty pipeline."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kedro_plugin_layout.facts import ProjectFiles, StagePipeline
from kedro_plugin_layout.manifest import Manifest
from kedro_plugin_layout.rules.base import Finding, Outcome, Rule, failures, skipped

_PREFIX = re.compile(r"^(?P<number>\d+)_")


class NumberingRule(Rule):
    family = "numbering"


def numbering_findings(names: Iterable[str], parent: str, what: str) -> list[Finding]:
    """Findings for prefixes that are not two-digit, repeat, or leave a gap from 01."""
    by_number: dict[int, list[str]] = {}
    findings = []
    for name in sorted(set(names)):
        match = _PREFIX.match(name)
        if not match:
            continue
        if len(match["number"]) != 2:
            findings.append(Finding(
                f"{what} `{parent}/{name}/` has a {len(match['number'])}-digit prefix: rename "
                f"it with two digits ({int(match['number']):02d}_...)", f"{parent}/{name}",
            ))
        by_number.setdefault(int(match["number"]), []).append(name)
    for number, folders in sorted(by_number.items()):
        if len(folders) > 1:
            listed = ", ".join(f"`{parent}/{f}/`" for f in folders)
            findings.append(Finding(
                f"{what}s {listed} share the prefix {number:02d}_: renumber one so each "
                "number is used once", f"{parent}/{folders[-1]}",
            ))
    expected = list(range(1, len(by_number) + 1))
    if sorted(by_number) != expected:
        gaps = sorted(set(range(1, max(by_number, default=0) + 1)) - set(by_number))
        missing = ", ".join(f"{n:02d}" for n in gaps) or "01"
        findings.append(Finding(
            f"{what} numbers are not contiguous from 01 (missing {missing}): renumber the "
            f"folders under `{parent}/` and the manifest in pyproject.toml", parent,
        ))
    return findings


class KL201(NumberingRule):
    """Data folder prefixes (manifest and disk) are two-digit, unique and contiguous."""

    def check(self, *, manifest: Manifest, files: ProjectFiles) -> Outcome:
        names = [d.folder for d in manifest.data] + files.subdirs(manifest.data_root)
        return failures(numbering_findings(names, manifest.data_root, "data folder"))


class KL202(NumberingRule):
    """Stage folder prefixes (manifest and disk) are two-digit, unique, contiguous, in order."""

    def check(self, *, manifest: Manifest, files: ProjectFiles, pipelines_dir: str) -> Outcome:
        if manifest.stage_style != "numbered":
            return skipped("stage_style is plain: stage folders are not numbered")
        names = [s.folder for s in manifest.stages] + _stage_dirs(files, pipelines_dir)
        findings = numbering_findings(names, pipelines_dir, "stage folder")
        numbers = [s.number for s in manifest.stages]
        if numbers != sorted(numbers):
            findings.append(Finding(
                "[[tool.kedro_layout.stages]] are not listed in the order of their numbers: "
                "list them in the order they run", "pyproject.toml",
            ))
        return failures(findings)


class KL203(NumberingRule):
    """Every folder under pipelines/ is a stage listed in the manifest."""

    def check(self, *, manifest: Manifest, files: ProjectFiles, pipelines_dir: str) -> Outcome:
        known = {s.folder for s in manifest.stages}
        return failures(
            Finding(
                f"`{pipelines_dir}/{name}/` is not a stage of the manifest: add it to "
                "[[tool.kedro_layout.stages]] in pyproject.toml in the order it runs, "
                "or remove the folder", f"{pipelines_dir}/{name}",
            )
            for name in _stage_dirs(files, pipelines_dir) if name not in known
        )


class KL204(NumberingRule):
    """Every stage folder defines create_pipeline() returning a non-empty pipeline."""

    def check(self, *, pipelines: dict[str, StagePipeline], pipelines_dir: str) -> Outcome:
        return failures(
            Finding(
                f"stage {stage.stage} {stage.detail}: define create_pipeline() in "
                f"`{pipelines_dir}/{stage.stage}/pipeline.py` returning its nodes, and "
                "export it from __init__.py", f"{pipelines_dir}/{stage.stage}",
            )
            for stage in pipelines.values() if stage.status == "no_pipeline"
        )


def _stage_dirs(files: ProjectFiles, pipelines_dir: str) -> list[str]:
    return [d for d in files.subdirs(pipelines_dir) if not d.startswith(("_", "."))]
