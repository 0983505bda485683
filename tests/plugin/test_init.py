"""`kedro layout init`: adopt the layout in projects not made by our starter."""

from __future__ import annotations

import pytest
import yaml

from kedro_ml_starter.manifest import DataFolder, Stage, default_manifest, load_manifest
from tests.plugin.layout_projects import (
    KEDRO_DATA_FOLDERS,
    invoke,
    kedro_default_project,
    plain_project,
)
from tests.support import kedro, tree_hashes


def changed_files(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {path for path in before if after.get(path) != before[path]}


def test_init_on_a_plain_kedro_new_project(tmp_path):
    project = plain_project(tmp_path)
    before = tree_hashes(project)
    texts = {name: (project / name).read_text() for name in ("pyproject.toml", ".gitignore")}

    result = kedro(["layout", "init"], project)

    assert result.returncode == 0, result.stderr
    assert "Inferred layout (stage_style = numbered, models = models):" in result.stdout
    assert "no stages yet: add one with `kedro layout add-stage NAME`" in result.stdout
    manifest = load_manifest(project)
    assert manifest.source == "pyproject"
    assert manifest.stages == ()
    assert manifest.data == default_manifest().data
    after = tree_hashes(project)
    assert changed_files(before, after) == {"pyproject.toml", ".gitignore"}
    for name, text in texts.items():
        assert (project / name).read_text().startswith(text)
    assert {"data/01_raw/.gitkeep", "data/04_test/.gitkeep", "models/.gitkeep",
            "src/plain_proj/utils/__init__.py"} <= set(after) - set(before)
    check = kedro(["layout", "check"], project)
    assert check.returncode == 0, check.stdout
    again = invoke(project, "init")
    assert again.exit_code == 2
    assert "already has [tool.kedro_layout]; use `kedro layout fix`" in again.output


@pytest.mark.e2e
def test_init_on_a_project_with_kedro_default_data_folders(tmp_path):
    project = kedro_default_project(tmp_path)
    before = tree_hashes(project)
    catalog = project / "conf/base/catalog.yml"
    catalog_before = catalog.read_text()

    result = invoke(project, "init")

    assert result.exit_code == 0, result.output
    assert "Inferred layout (stage_style = plain, models = data/06_models):" in result.output
    manifest = load_manifest(project)
    assert manifest.stage_style == "plain"
    assert manifest.models == "data/06_models"
    assert manifest.stages == (
        Stage("data_processing", "preprocessing"),
        Stage("data_science", "training"),
        Stage("reporting", "evaluation"),
    )
    assert [d.folder for d in manifest.data] == list(KEDRO_DATA_FOLDERS)
    assert manifest.data[0] == DataFolder("01_raw", "raw")
    assert manifest.data[-1] == DataFolder("08_reporting", "reporting")
    assert {d.role for d in manifest.data[1:-1]} == {"other"}
    after = tree_hashes(project)
    assert changed_files(before, after) == {"pyproject.toml", "conf/base/catalog.yml"}
    layers = {name: entry.get("metadata", {}).get("kedro-viz", {}).get("layer")
              for name, entry in yaml.safe_load(catalog.read_text()).items()}
    assert layers == {"shuttles": "01_raw", "preprocessed_shuttles": "02_intermediate",
                      "model_input_table": "05_model_input", "metrics": "08_reporting",
                      "regressor": None}  # in the models folder, a layer may be left out
    assert [line for line in catalog.read_text().splitlines()
            if line not in catalog_before.splitlines()] == [
        "  metadata:", "    kedro-viz:", "      layer: 01_raw"] + [
        "  metadata:", "    kedro-viz:", "      layer: 02_intermediate"] + [
        "  metadata:", "    kedro-viz:", "      layer: 05_model_input"] + [
        "  metadata:", "    kedro-viz:", "      layer: 08_reporting"]
    assert sorted(p.name for p in (project / "src/plain_proj/pipelines").iterdir()) == [
        "__init__.py", "data_processing", "data_science", "reporting"]

    added = invoke(project, "add-stage", "feature_engineering", "--after", "data_processing")
    assert added.exit_code == 0, added.output
    assert [s.folder for s in load_manifest(project).stages] == [
        "data_processing", "feature_engineering", "data_science", "reporting"]
    ran = kedro(["run"], project)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert (project / "data/08_reporting/metrics.json").is_file()
    check = kedro(["layout", "check"], project)
    assert check.returncode == 0, check.stdout
    assert "No findings" in check.stdout


def test_init_dry_run_prints_the_inference_and_writes_nothing(tmp_path):
    project = kedro_default_project(tmp_path)
    before = tree_hashes(project)

    result = invoke(project, "init", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "  stage  data_science                  training" in result.output
    assert "edit file    pyproject.toml" in result.output
    assert '+models = "data/06_models"' in result.output
    assert tree_hashes(project) == before


def test_init_refuses_a_numbered_style_it_cannot_honour(tmp_path):
    project = kedro_default_project(tmp_path)
    before = tree_hashes(project)

    result = invoke(project, "init", "--stage-style", "numbered")

    assert result.exit_code == 2
    assert "stage_style numbered needs every pipeline folder numbered" in result.output
    assert tree_hashes(project) == before
