"""KL2xx numbering: numbered prefixes are two-digit, unique and contiguous, and the stage
folders on disk are the stages of the manifest, each with a non-empty pipeline."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kedro_ml_starter.manifest import Manifest
from kedro_plugin_layout.check.rules.base import Finding, Outcome, Rule, failures, skipped
from kedro_plugin_layout.kinds import PipelineStatus, StageStyle
from kedro_plugin_layout.project.manifest_lines import ManifestLines
from kedro_plugin_layout.project.records import Location, ProjectFiles, StagePipeline

_PREFIX = re.compile(r"^(?P<number>\d+)_")


class NumberingRule(Rule):
    family = "numbering"


def numbering_findings(names: Iterable[str], parent: str, what: str,
                       declared: Callable[[str], Location | None] = lambda name: None,
                       ) -> list[Finding]:
    """Findings for prefixes that are not two-digit, repeat, or leave a gap from 01; a
    folder the manifest declares is reported at its entry (`declared`), else at its path."""
    by_number: dict[int, list[str]] = {}
    findings = []
    for name in sorted(set(names)):
        match = _PREFIX.match(name)
        if not match:
            continue
        if len(match["number"]) != 2:
            findings.append(Finding.at(
                f"{what} `{parent}/{name}/` has a {len(match['number'])}-digit prefix: rename "
                f"it with two digits ({int(match['number']):02d}_...)", declared(name),
                f"{parent}/{name}",
            ))
        by_number.setdefault(int(match["number"]), []).append(name)
    for number, folders in sorted(by_number.items()):
        if len(folders) > 1:
            listed = ", ".join(f"`{parent}/{f}/`" for f in folders)
            findings.append(Finding.at(
                f"{what}s {listed} share the prefix {number:02d}_: renumber one so each "
                "number is used once", declared(folders[-1]), f"{parent}/{folders[-1]}",
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

    fix = ("Rename the data folders so that each prefix has two digits, is used once and the "
           "numbers run from `01` without a gap, and update `[[tool.kedro_layout.data]]` to "
           "match.")

    def check(self, *, manifest: Manifest, files: ProjectFiles,
              manifest_lines: ManifestLines) -> Outcome:
        declared = {d.folder for d in manifest.data}
        names = [*declared, *files.subdirs(manifest.data_root)]
        return failures(numbering_findings(
            names, manifest.data_root, "data folder",
            lambda name: manifest_lines.data(name) if name in declared else None,
        ))


class KL202(NumberingRule):
    """Stage folder prefixes (manifest and disk) are two-digit, unique, contiguous, in order.

    Skipped with `stage_style = "plain"`, whose folders carry no number.
    """

    fix = ("Rename the stage folders so that each prefix has two digits, is used once and the "
           "numbers run from `01` without a gap, and list `[[tool.kedro_layout.stages]]` in the "
           "order they run; `kedro layout add-stage --after` renumbers for you.")

    def check(self, *, manifest: Manifest, files: ProjectFiles, pipelines_dir: str,
              manifest_lines: ManifestLines) -> Outcome:
        if manifest.stage_style != StageStyle.NUMBERED:
            return skipped("stage_style is plain: stage folders are not numbered")
        declared = {s.folder for s in manifest.stages}
        names = [*declared, *_stage_dirs(files, pipelines_dir)]
        findings = numbering_findings(
            names, pipelines_dir, "stage folder",
            lambda name: manifest_lines.stage(name) if name in declared else None,
        )
        numbers = [s.number or 0 for s in manifest.stages]
        if numbers != sorted(numbers):
            first = next(s for s, n, m in zip(manifest.stages, numbers, sorted(numbers))
                         if n != m)
            findings.append(Finding.at(
                "[[tool.kedro_layout.stages]] are not listed in the order of their numbers "
                f"(first out of place: {first.folder}): list them in the order they run",
                manifest_lines.stage(first.folder), "pyproject.toml",
            ))
        return failures(findings)


class KL203(NumberingRule):
    """Every folder under pipelines/ is a stage listed in the manifest.

    Folders whose names start with `_` or `.` are not stages.
    """

    fix = ("Add the folder to `[[tool.kedro_layout.stages]]` in pyproject.toml, in the order it "
           "runs, or remove the folder.")

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
    """Every stage folder defines create_pipeline() returning a non-empty pipeline.

    The stage's `pipeline.py` is imported (in lite mode unless `--import-mode` says
    otherwise) and its `create_pipeline()` called.
    """

    fix = ("Define `create_pipeline()` in the stage's `pipeline.py`, returning its nodes, and "
           "export it from the stage's `__init__.py`.")

    def check(self, *, pipelines: dict[str, StagePipeline], pipelines_dir: str) -> Outcome:
        return failures(
            Finding.at(
                f"stage {stage.stage} {stage.detail}: define create_pipeline() in "
                f"`{pipelines_dir}/{stage.stage}/pipeline.py` returning its nodes, and "
                "export it from __init__.py", stage.location, f"{pipelines_dir}/{stage.stage}",
            )
            for stage in pipelines.values() if stage.status == PipelineStatus.NO_PIPELINE
        )


def _stage_dirs(files: ProjectFiles, pipelines_dir: str) -> list[str]:
    return [d for d in files.subdirs(pipelines_dir) if not d.startswith(("_", "."))]
