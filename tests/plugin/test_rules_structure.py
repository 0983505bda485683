"""KL1xx: each part of the layout exists. One passing and one failing tree per rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.plugin.trees import PACKAGE, layout_project, outcome, pipelines_dir


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return layout_project(tmp_path)


def test_the_complete_tree_passes_every_structure_rule(project: Path) -> None:
    for rule in ("KL101", "KL102", "KL103", "KL104", "KL105", "KL106", "KL107", "KL108"):
        assert outcome(project, rule) == ("pass", [""]), rule


def test_kl101_names_each_missing_data_folder(project: Path) -> None:
    shutil.rmtree(project / "data" / "03_eval")
    status, messages = outcome(project, "KL101")
    assert status == "fail"
    assert len(messages) == 1
    assert "data/03_eval/" in messages[0] and "(eval)" in messages[0]


def test_kl102_wants_the_notebooks_folder(project: Path) -> None:
    shutil.rmtree(project / "notebooks")
    status, messages = outcome(project, "KL102")
    assert status == "fail" and "notebooks/" in messages[0]


def test_kl103_names_a_missing_stage_folder_and_a_missing_pipeline_py(project: Path) -> None:
    shutil.rmtree(pipelines_dir(project) / "04_model_evaluation")
    (pipelines_dir(project) / "02_feature_engineering" / "pipeline.py").unlink()
    status, messages = outcome(project, "KL103")
    assert status == "fail"
    assert any(f"src/{PACKAGE}/pipelines/04_model_evaluation/" in m for m in messages)
    assert any("02_feature_engineering/pipeline.py" in m and "create_pipeline" in m
               for m in messages)


def test_kl104_wants_a_utils_package(project: Path) -> None:
    (project / "src" / PACKAGE / "utils" / "__init__.py").unlink()
    status, messages = outcome(project, "KL104")
    assert status == "fail" and f"src/{PACKAGE}/utils/__init__.py" in messages[0]


def test_kl105_wants_the_models_folder(project: Path) -> None:
    shutil.rmtree(project / "models")
    status, messages = outcome(project, "KL105")
    assert status == "fail" and "models/" in messages[0]


@pytest.mark.parametrize(("rule", "name"), [("KL106", "requirements.txt"), ("KL107", "README.md")])
def test_kl106_kl107_want_the_root_files(project: Path, rule: str, name: str) -> None:
    (project / name).unlink()
    status, messages = outcome(project, rule)
    assert status == "fail" and name in messages[0]


def test_kl108_wants_a_test_module_per_stage(project: Path) -> None:
    (project / "tests" / "pipelines" / "05_api" / "test_pipeline.py").unlink()
    status, messages = outcome(project, "KL108")
    assert status == "fail"
    assert messages == [m for m in messages if "05_api" in m] and len(messages) == 1
    # the file it names is the one `kedro layout fix` writes
    assert "`kedro layout fix` to add `tests/pipelines/05_api/test_api_pipeline.py`" in messages[0]


def test_structure_follows_the_manifest_paths(project: Path) -> None:
    """A manifest that moves the models folder is obeyed: the old folder is not enough."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('models = "models"',
                                                       'models = "artifacts/models"'))
    status, messages = outcome(project, "KL105")
    assert status == "fail" and "artifacts/models/" in messages[0]
    (project / "artifacts" / "models").mkdir(parents=True)
    assert outcome(project, "KL105")[0] == "pass"
