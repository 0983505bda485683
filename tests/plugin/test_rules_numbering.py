"""KL2xx: numbered prefixes, stage folders against the manifest, non-empty pipelines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.plugin.trees import layout_project, outcome, pipelines_dir, set_stage_nodes


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return layout_project(tmp_path)


def test_the_complete_tree_passes_every_numbering_rule(project: Path) -> None:
    for rule in ("KL201", "KL202", "KL203", "KL204"):
        assert outcome(project, rule)[0] == "pass", rule


def test_kl201_duplicate_data_prefix(project: Path) -> None:
    (project / "data" / "02_features").mkdir()
    status, messages = outcome(project, "KL201")
    assert status == "fail"
    assert any("`data/02_features/`" in m and "`data/02_train/`" in m and "02_" in m
               for m in messages)


def test_kl201_one_digit_prefix_and_gap(project: Path) -> None:
    (project / "data" / "8_extra").mkdir()
    status, messages = outcome(project, "KL201")
    assert status == "fail"
    assert any("data/8_extra" in m and "two digits (08_...)" in m for m in messages)
    assert any("missing 07" in m for m in messages)


def test_kl202_duplicate_stage_prefix_on_disk(project: Path) -> None:
    shutil.copytree(pipelines_dir(project) / "02_feature_engineering",
                    pipelines_dir(project) / "02_more_features")
    status, messages = outcome(project, "KL202")
    assert status == "fail"
    assert any("02_more_features" in m and "share the prefix 02_" in m for m in messages)


def test_kl202_is_skipped_for_plain_stage_style(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text().replace('stage_style = "numbered"', 'stage_style = "plain"')
    for folder in ("01_data_preprocessing", "02_feature_engineering", "03_model_training",
                   "04_model_evaluation", "05_api"):
        text = text.replace(f'"{folder}"', f'"{folder[3:]}"')
    pyproject.write_text(text)
    status, messages = outcome(project, "KL202")
    assert status == "skip" and "plain" in messages[0]


def test_kl203_folder_not_in_the_manifest(project: Path) -> None:
    (pipelines_dir(project) / "06_tuning").mkdir()
    (pipelines_dir(project) / "__pycache__").mkdir()
    status, messages = outcome(project, "KL203")
    assert status == "fail"
    assert len(messages) == 1
    assert "06_tuning" in messages[0] and "[[tool.kedro_layout.stages]]" in messages[0]


def test_kl204_empty_pipeline(project: Path) -> None:
    set_stage_nodes(project, "03_model_training", "")
    status, messages = outcome(project, "KL204")
    assert status == "fail"
    assert messages == [m for m in messages if "03_model_training" in m]
    assert "empty pipeline" in messages[0]


def test_kl204_stage_without_create_pipeline(project: Path) -> None:
    stage = pipelines_dir(project) / "05_api"
    (stage / "pipeline.py").unlink()
    status, messages = outcome(project, "KL204")
    assert status == "fail"
    assert "05_api defines no create_pipeline()" in messages[0]


def test_kl204_import_error_is_exit_2_naming_the_module(project: Path) -> None:
    from kedro_plugin_layout.errors import ProjectReadError

    (pipelines_dir(project) / "03_model_training" / "nodes.py").write_text("import nope_x\n")
    with pytest.raises(ProjectReadError) as error:
        outcome(project, "KL204")
    assert "mini_lab.pipelines.03_model_training" in error.value.message
    assert "nope_x" in error.value.message and "\n" not in error.value.message
