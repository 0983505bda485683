"""Shared by the stage tests: where the project is, its configuration, and how to load a
stage's modules.

Everything about the data comes from the project's own configuration: the data contract
(`params:data_contract`), the catalog's `raw_data` and `new_rows`, the parameters. So
these tests hold for any dataset the contract describes, and test it.

Where the stages and notebooks are comes from the layout manifest (`[tool.kedro_layout]`
in pyproject.toml), which `kedro layout add-stage` keeps up to date: a stage added before
or after another renumbers folders there, and the tests follow. Stage folders may start
with a digit (`01_data_preprocessing`), which an import statement cannot name, so tests
load them with `importlib` through `stage_module`.
"""

from __future__ import annotations

import functools
import importlib
import io
import re
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
from kedro_ml_starter.runtime import (
    DataContract,
    LoadedVersion,
    ModelVersions,
    Verdict,
    fit_naive_model,
    judge_model,
    open_project,
)

PACKAGE = "{{ cookiecutter.python_package }}"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
# The starter's stages: role -> the folder `kedro new` made.
STARTER_STAGES = {
    "preprocessing": "{% if cookiecutter.stage_style == 'numbered' %}01_{% endif %}data_preprocessing",
    "features": "{% if cookiecutter.stage_style == 'numbered' %}02_{% endif %}feature_engineering",
    "training": "{% if cookiecutter.stage_style == 'numbered' %}03_{% endif %}model_training",
    "evaluation": "{% if cookiecutter.stage_style == 'numbered' %}04_{% endif %}model_evaluation",
    "serving": "{% if cookiecutter.stage_style == 'numbered' %}05_{% endif %}api",
}


def _manifest() -> dict[str, Any]:
    """`[tool.kedro_layout]` of pyproject.toml (empty if the table is gone)."""
    with (PROJECT_ROOT / "pyproject.toml").open("rb") as stream:
        return tomllib.load(stream).get("tool", {}).get("kedro_layout", {})


def _name(folder: str) -> str:
    """A stage's name: its folder without the number (`model_training`)."""
    return folder[3:] if folder[:2].isdigit() and folder[2:3] == "_" else folder


def _stage_folders(manifest: dict[str, Any]) -> dict[str, str]:
    """Each starter stage's folder now, by role: the manifest's stage of that role and
    name (`05_model_evaluation` once a stage is added before it), else its first stage of
    that role, else the folder `kedro new` made."""
    listed = manifest.get("stages", [])
    folders = {}
    for role, starter in STARTER_STAGES.items():
        of_role = [s["folder"] for s in listed if s.get("role") == role]
        named = [f for f in of_role if _name(f) == _name(starter)]
        folders[role] = (named or of_role or [starter])[0]
    return folders


MANIFEST = _manifest()
STAGES = _stage_folders(MANIFEST)  # role -> folder under pipelines/
NOTEBOOKS = PROJECT_ROOT / MANIFEST.get("notebooks", "notebooks")


@functools.cache
def project() -> tuple[Any, dict[str, Any]]:
    """This project's catalog and parameters, as `kedro run` reads them."""
    return open_project(PROJECT_ROOT)


def parameters(name: str) -> dict[str, Any]:
    """One parameter of the project, e.g. parameters("data_preprocessing")."""
    return dict(project()[1][name])


def contract() -> DataContract:
    """The project's data contract (conf/base/parameters_data_contract.yml)."""
    return DataContract.from_parameters(parameters("data_contract"))


def load(dataset: str) -> pd.DataFrame:
    """A copy of a catalog dataset, e.g. the raw data (`raw_data`), as a stage reads it."""
    return _loaded(dataset).copy()


@functools.cache
def _loaded(dataset: str) -> pd.DataFrame:
    data = project()[0].load(dataset)
    if hasattr(data, "toPandas"):  # a Spark DataFrame: typed as pandas reads the file
        text = data.toPandas().to_csv(index=False)
        missing = {"na_values": ["NA", ""], "keep_default_na": False}
        data = pd.read_csv(io.StringIO(text), **missing)
    return data


def stage_module(role: str, module: str = "nodes") -> ModuleType:
    """`nodes` or `pipeline` of a stage, e.g. stage_module("features", "pipeline")."""
    return importlib.import_module(f"{PACKAGE}.pipelines.{STAGES[role]}.{module}")


def fit_stages(
    splits: tuple[Any, ...], training: dict, keep: Callable[[Any], Any] = lambda f: f
) -> dict[str, Any]:
    """Transformers, features and model fitted the way stages 02 and 03 do (the `fitted`
    fixture); `keep` holds each feature set (Spark caches them)."""
    features = stage_module("features")
    data = parameters("data_contract")
    transformers = features.fit_transformers(
        splits[0], data, parameters("feature_engineering")
    )
    train, evaluation, test = (
        keep(features.transform_split(split, transformers, data)) for split in splits
    )
    model, metadata = stage_module("training").train_model(train, data, training)
    return {
        "transformers": transformers,
        "model": model,
        "metadata": metadata,
        "train": train,
        "eval": evaluation,
        "test": test,
    }


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


def save_fitted(project_root: Path, fitted: dict, runtime: str = "onnx") -> Path:
    """Sets `project_root` to serve with `runtime` and saves fitted artifacts (the `fitted`
    fixture) through its catalog, as stages 02-04 do: transformers, model, its metadata,
    the ONNX graph (none with a `runtime` other than onnx), the evaluation metrics and
    the verdict (promoted: it beats the naive baseline)."""
    settings = project_root / "conf" / "base" / "parameters_api.yml"
    text = re.sub(
        r"(?m)^(\s+runtime:\s*)[A-Za-z]+", rf"\g<1>{runtime}", settings.read_text()
    )
    settings.write_text(text)
    catalog, params = open_project(project_root)
    data = params["data_contract"]
    catalog.save("feature_transformers", fitted["transformers"])
    catalog.save("model", fitted["model"])
    catalog.save("model_metadata", fitted["metadata"])
    graph = stage_module("training").export_onnx(
        fitted["transformers"],
        fitted["model"],
        fitted["metadata"],
        data,
        params["serving"],
    )
    catalog.save("model_onnx", graph)
    evaluation = stage_module("evaluation")
    metrics = evaluation.evaluate_model(
        fitted["model"], fitted["eval"], fitted["test"], data
    )
    catalog.save("metrics", metrics)
    naive = fit_naive_model(fitted["train"], data)
    naive_metrics = evaluation.eval_metrics(naive, fitted["eval"], data)
    promotion = params["model_evaluation"]["promotion"]
    versions = catalog.load(
        "model_versions"
    )  # nothing promoted yet: nothing to compare
    comparison = evaluation.compare_with_promoted(
        versions, metrics["eval"], None, data, promotion
    )
    catalog.save(
        "model_verdicts",
        judge_model(versions, metrics["eval"], naive_metrics, comparison, promotion),
    )
    return project_root


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


def request_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Raw rows as the JSON a client sends: the target left out, missing values as null."""
    rows = table.drop(columns=[contract().target], errors="ignore")
    values = rows.astype(object).where(rows.notna(), None)
    return [
        {name: _plain(value) for name, value in row.items()}
        for row in values.to_dict(orient="records")
    ]


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
