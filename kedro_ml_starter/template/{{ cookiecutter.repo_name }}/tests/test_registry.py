"""The stage registry: every stage folder is a pipeline (the starter's, and any the manifest
lists since `kedro layout add-stage`), and a missing input names its stage."""

from __future__ import annotations

import importlib
from pathlib import Path

from kedro.framework.project import configure_project, pipelines
from kedro_ml_starter.runtime import producing_stage

from tests.helpers import MANIFEST, PACKAGE, STAGES


def test_registry_lists_every_stage_folder_and_the_default_run_leaves_out_serving():
    configure_project(PACKAGE)
    # Every folder under pipelines/, the template's stages and any added since (`kedro
    # layout add-stage`), is a pipeline of its own name.
    folder = Path(importlib.import_module(f"{PACKAGE}.pipelines").__file__).parent
    stages = {init.parent.name for init in folder.glob("*/__init__.py")}
    # The manifest's stages (`[tool.kedro_layout]`, which add-stage keeps) are folders.
    listed = {stage["folder"] for stage in MANIFEST.get("stages", [])}
    assert set(STAGES.values()) | listed <= stages
    assert stages | {"__default__"} == set(pipelines)
    default_outputs = pipelines["__default__"].all_outputs()
    assert "metrics" in default_outputs
    assert "predictions" not in default_outputs


def test_a_missing_input_names_the_stage_that_makes_it():
    configure_project(PACKAGE)
    assert producing_stage("train_features") == STAGES["features"]
    assert producing_stage("test_split") == STAGES["preprocessing"]
    assert producing_stage("nowhere") is None
