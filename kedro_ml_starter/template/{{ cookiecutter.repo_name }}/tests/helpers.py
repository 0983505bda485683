"""Shared by the stage tests: where the project is, and how to load a stage's modules.

Stage folders may start with a digit (`01_data_preprocessing`), which an import statement
cannot name, so tests load them with `importlib` through `stage_module`.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pandas as pd
from kedro_ml_starter.runtime.serving.project import open_project

PACKAGE = "{{ cookiecutter.python_package }}"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
RAW_CSV = PROJECT_ROOT / "data" / "01_raw" / "penguins.csv"
NEW_CSV = PROJECT_ROOT / "data" / "06_scoring" / "new_penguins.csv"
STAGES = {
    "preprocessing": "{% if cookiecutter.stage_style == 'numbered' %}01_{% endif %}data_preprocessing",
    "features": "{% if cookiecutter.stage_style == 'numbered' %}02_{% endif %}feature_engineering",
    "training": "{% if cookiecutter.stage_style == 'numbered' %}03_{% endif %}model_training",
    "evaluation": "{% if cookiecutter.stage_style == 'numbered' %}04_{% endif %}model_evaluation",
    "serving": "{% if cookiecutter.stage_style == 'numbered' %}05_{% endif %}api",
}


def stage_module(role: str, module: str = "nodes") -> ModuleType:
    """`nodes` or `pipeline` of a stage, e.g. stage_module("features", "pipeline")."""
    return importlib.import_module(f"{PACKAGE}.pipelines.{STAGES[role]}.{module}")


def save_fitted(project: Path, fitted: dict, runtime: str = "onnx") -> Path:
    """Saves fitted artifacts (the `fitted` fixture) through `project`'s catalog, as stages
    02-04 do: transformers, model, its metadata, the ONNX graph (pandas engine) and the
    evaluation metrics."""
    catalog, params = open_project(project)
    catalog.save("feature_transformers", fitted["transformers"])
    catalog.save("model", fitted["model"])
    catalog.save("model_metadata", fitted["metadata"])
    if "model_onnx" in catalog:
        serving = {**params["serving"], "runtime": runtime}
        catalog.save("model_onnx", stage_module("training").export_onnx(
            fitted["transformers"], fitted["model"], fitted["metadata"], serving))
    evaluate = stage_module("evaluation").evaluate_model
    catalog.save("metrics", evaluate(fitted["model"], fitted["eval"], fitted["test"]))
    return project


def read_raw_csv(path: Path) -> pd.DataFrame:
    """Reads a raw file as the catalog's `raw_penguins` entry does."""
    return pd.read_csv(path, na_values=["NA", ""], keep_default_na=False)
