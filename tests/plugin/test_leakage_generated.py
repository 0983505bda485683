"""The leakage rules on the project the starter generates: with every tag removed it is
still clean (the rules read the code), and a leak written into it the way a person would
is found at the node it enters, in lite and full mode. Edits find their targets by
pattern and through the catalog, not by the template's dataset names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kedro_plugin_layout.commands.check import check
from kedro_plugin_layout.kinds import ImportMode

MODES = (ImportMode.LITE, ImportMode.FULL)
TAGS = re.compile(r"\s*tags=\[[^\]]*\],?")


def pipelines(project: Path) -> list[Path]:
    return sorted(project.glob("src/*/pipelines/*/pipeline.py"))


def untag(project: Path) -> None:
    for pipeline in pipelines(project):
        pipeline.write_text(TAGS.sub("", pipeline.read_text()))


def raw_dataset(project: Path) -> str:
    catalog = yaml.safe_load((project / "conf/base/catalog.yml").read_text())
    return next(name for name, entry in catalog.items() if isinstance(entry, dict)
                and "/01_raw/" in f"/{entry.get('filepath', '')}")


def first_input(pipeline: Path, function: str, replace) -> None:
    """Rewrites the first input of the `Node(<function>, [...])` call of a pipeline."""
    call = re.compile(rf'(Node\(\s*{function},\s*\[?\s*)"([^"]+)"')
    text = pipeline.read_text()
    assert call.search(text), f"no Node({function}, ...) in {pipeline}"
    pipeline.write_text(call.sub(lambda m: f'{m[1]}"{replace(m[2])}"', text, count=1))


def leakage(project: Path, mode: ImportMode) -> set[tuple[str, str]]:
    report = check(project, select=["KL4"], import_mode=mode)
    return {(r.rule, r.message.split("node `", 1)[1].split("`", 1)[0]) for r in report.findings}


@pytest.fixture
def untagged(generated_project: Path, project_copy) -> Path:
    project = project_copy(generated_project)
    untag(project)
    assert not any("tags=" in p.read_text() for p in pipelines(project))
    return project


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_the_generated_project_untagged_is_clean(untagged: Path, mode: ImportMode) -> None:
    assert leakage(untagged, mode) == set()


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_transformers_fitted_on_the_raw_rows_untagged(untagged: Path, mode: ImportMode) -> None:
    stage = next(p for p in pipelines(untagged) if "feature" in p.parent.name)
    first_input(stage, r"fit_\w+", lambda _: raw_dataset(untagged))
    assert leakage(untagged, mode) == {("KL404", "fit_transformers")}


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_the_model_trained_on_the_test_features_untagged(untagged: Path,
                                                         mode: ImportMode) -> None:
    stage = next(p for p in pipelines(untagged) if "training" in p.parent.name)
    first_input(stage, r"train_\w+", lambda name: name.replace("train", "test"))
    assert leakage(untagged, mode) == {("KL402", "train_model"), ("KL403", "train_model")}
