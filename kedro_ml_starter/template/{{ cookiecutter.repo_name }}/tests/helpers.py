"""Shared by the stage tests: where the project is, and how to load a stage's modules.

Stage folders may start with a digit (`01_data_preprocessing`), which an import statement
cannot name, so tests load them with `importlib` through `stage_module`.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
from kedro_ml_starter.runtime.model_versions import (
    LoadedVersion,
    ModelVersions,
    judge_model,
)
from kedro_ml_starter.runtime.promotion import Comparison, Verdict
from kedro_ml_starter.runtime.serving.project import open_project

PACKAGE = "{{ cookiecutter.python_package }}"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
RAW_CSV = PROJECT_ROOT / "data" / "01_raw" / "penguins.csv"
NEW_CSV = PROJECT_ROOT / "data" / "06_scoring" / "new_penguins.csv"
SPLIT_PARAMETERS = {
    "drop_rows_without_measurements": True,
    "test_size": 0.2,
    "eval_size": 0.2,
    "random_state": 42,
}
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


def fit_stages(
    splits: tuple[Any, ...], training: dict, keep: Callable[[Any], Any] = lambda f: f
) -> dict[str, Any]:
    """Transformers, features and model fitted the way stages 02 and 03 do (the `fitted`
    fixture); `keep` holds each feature set (Spark caches them)."""
    features = stage_module("features")
    transformers = features.fit_transformers(
        splits[0], {"numeric_imputation": "median"}
    )
    train, evaluation, test = (
        keep(features.transform_split(split, transformers)) for split in splits
    )
    model, metadata = stage_module("training").train_model(train, training)
    return {
        "transformers": transformers,
        "model": model,
        "metadata": metadata,
        "train": train,
        "eval": evaluation,
        "test": test,
    }


PROMOTED, LOST = "2026-01-01T00.00.00.000Z", "2026-01-02T00.00.00.000Z"


def model_versions(
    fitted: dict, promoted: tuple[str, ...] = (PROMOTED,)
) -> ModelVersions:
    """Two stored versions of the `fitted` model, PROMOTED and LOST (newer); stage 04
    promoted those in `promoted` only."""
    verdicts = {
        version: Verdict(version, version in promoted, "as the test says")
        for version in (PROMOTED, LOST)
    }

    def load(version: str) -> LoadedVersion:
        return LoadedVersion(version, None, fitted["model"], fitted["transformers"])

    return ModelVersions([PROMOTED, LOST], verdicts, load)


def copy_configuration(root: Path) -> Path:
    """This project's conf/ and pyproject.toml around an empty models/ folder, in `root`:
    a throw-away project for the HTTP app to open.

    Kedro wants a src/ folder to exist; the package itself is the one under test.
    """
    shutil.copytree(PROJECT_ROOT / "conf", root / "conf")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", root / "pyproject.toml")
    for folder in ("src", "models", "data/05_reporting"):
        (root / folder).mkdir(parents=True)
    return root


def save_fitted(project: Path, fitted: dict, runtime: str = "onnx") -> Path:
    """Sets `project` to serve with `runtime` and saves fitted artifacts (the `fitted`
    fixture) through its catalog, as stages 02-04 do: transformers, model, its metadata,
    the ONNX graph (none with a `runtime` other than onnx), the evaluation metrics and
    the verdict (promoted: the shipped criteria hold for the shipped data)."""
    settings = project / "conf" / "base" / "parameters_api.yml"
    text = settings.read_text().replace("runtime: onnx", f"runtime: {runtime}")
    settings.write_text(text)
    catalog, params = open_project(project)
    catalog.save("feature_transformers", fitted["transformers"])
    catalog.save("model", fitted["model"])
    catalog.save("model_metadata", fitted["metadata"])
    graph = stage_module("training").export_onnx(
        fitted["transformers"], fitted["model"], fitted["metadata"], params["serving"]
    )
    catalog.save("model_onnx", graph)
    evaluation = stage_module("evaluation")
    metrics = evaluation.evaluate_model(fitted["model"], fitted["eval"], fitted["test"])
    catalog.save("metrics", metrics)
    promotion = params["model_evaluation"]["promotion"]
    versions = catalog.load("model_versions")
    naive = evaluation.fit_naive_model(fitted["train"])
    naive_metrics = evaluation.split_metrics(naive, fitted["eval"])
    verdict = judge_model(
        versions, metrics["eval"], naive_metrics, Comparison(), promotion
    )
    catalog.save("model_verdicts", verdict)
    return project


def read_raw_csv(path: Path) -> pd.DataFrame:
    """Reads a raw file as the catalog's `raw_penguins` entry does."""
    return pd.read_csv(path, na_values=["NA", ""], keep_default_na=False)
