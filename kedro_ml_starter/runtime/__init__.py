"""What generated projects import instead of owning a copy: tested, versioned machinery.

A generated project is the user's from the first day, and a fix to a copy never reaches
them; so the parts that are not the user's ML problem live here, in this distribution,
and projects depend on it (`kedro-ml-structure` in their requirements.txt).

The public API is `__all__` below, and only it: a generated project imports these names
from `kedro_ml_starter.runtime` (and names its catalog datasets
`kedro_ml_starter.runtime.<Dataset>`), never a module inside it, so the modules can move
and change between releases while every name here keeps its meaning within a minor
version (0.3.x); a name leaves only in a minor release whose notes say so.

Importing this package imports nothing: Kedro reads a project's settings.py (which
imports the hooks) on every `kedro` command, so each name is loaded from its module on
first use (PEP 562), and each module pulls in what it needs (Kedro, onnxruntime, FastAPI,
scikit-learn) itself.

Modules, for readers of this code:
- `contract`: the data contract (columns, target, task) and what it derives.
- `estimators` / `spark_estimators`: the model, any scikit-learn (or Spark MLlib)
  estimator named in the parameters.
- `reporting`: the metrics of either task and the figure a person looks at;
  `spark_reporting`: the same metrics from a split Spark reduces first.
- `hooks`: one readable line for a stage run too early and for data that fails its schema.
- `progress`: a line per finished node (load / run / save time, elapsed, peak memory).
- `validation` / `spark_validation`: pandera building blocks, and a line per problem.
- `datasets` / `versions` / `spark_datasets`: model datasets that never hand out a
  half-written version.
- `onnx_export` / `spark_onnx` / `onnx_scoring`: the ONNX graph of a fitted model, its
  parity check, and scoring it without scikit-learn or a JVM.
- `promotion` / `model_versions`: the promotion gate: stage 04's verdict on each trained
  version, kept with it, and the version batch scoring and `kedro serve` use;
  `spark_baseline`: the gate's naive baseline on a Spark split.
- `serving`: the HTTP runtime behind `kedro serve`; `spark`: a project's Spark session;
  `tracking`: MLflow runs.
"""

from __future__ import annotations

import importlib
from typing import Any

# Each public name and the module (under this package) that defines it.
_EXPORTS = {
    # the data contract and the model
    "DataContract": "contract",
    "ContractError": "contract",
    "PROBABILITY_PREFIX": "contract",
    "make_estimator": "estimators",
    "EstimatorError": "estimators",
    "make_spark_estimator": "spark_estimators",
    "model_class": "reporting",
    "model_metadata": "reporting",
    "classification_metrics": "reporting",
    "regression_metrics": "reporting",
    "evaluation_figure": "reporting",
    "spark_classification_metrics": "spark_reporting",
    "spark_regression_metrics": "spark_reporting",
    "spark_sample": "spark_reporting",
    "UnknownClassError": "spark_reporting",
    # hooks (settings.py)
    "ReadableErrorsHook": "hooks",
    "StageInputsHook": "hooks",
    "producing_stage": "hooks",
    "ProgressHooks": "progress",
    "MlflowHooks": "tracking",
    "SparkHooks": "spark",
    "start_spark": "spark",
    # catalog datasets (conf/base/catalog.yml)
    "ModelPickleDataset": "datasets",
    "OnnxModelDataset": "datasets",
    "OnnxGraph": "datasets",
    "SparkMLModelDataset": "spark_datasets",
    # validation
    "DataValidationError": "validation",
    "describe": "validation",
    "problems": "validation",
    "rows_text": "validation",
    "normalised_categories": "validation",
    "at_least_one_row": "validation",
    "validate_spark": "spark_validation",
    "spark_ddl": "spark_validation",
    "spark_column": "spark_validation",
    "spark_quoted": "spark_validation",
    # ONNX export and its parity check
    "export_graph": "onnx_export",
    "check_parity": "onnx_export",
    "check_regression_parity": "onnx_export",
    "OnnxExportError": "onnx_export",
    "OnnxParityError": "onnx_export",
    "SKLEARN": "onnx_export",
    "SPARK": "onnx_export",
    "export_spark_graph": "spark_onnx",
    # the promotion gate (stage 04's verdict, the version batch scoring and serving use)
    "ModelVersionsDataset": "model_versions",
    "ModelVersions": "model_versions",
    "LoadedVersion": "model_versions",
    "NoPromotedVersion": "model_versions",
    "VersionRefused": "model_versions",
    "judge_model": "model_versions",
    "Comparison": "promotion",
    "PromotionSettings": "promotion",
    "Verdict": "promotion",
    "naive_model": "promotion",
    "fit_naive_model": "promotion",
    # serving (`kedro serve`)
    "create_app": "serving.app",
    "open_project": "serving.project",
    "ServingSettings": "serving.settings",
    "BYTES_PER_ROW": "serving.http",
}
# The declared names, written out for readers and tools (tests/runtime/test_api.py holds
# them to _EXPORTS).
__all__ = [
    "BYTES_PER_ROW",
    "PROBABILITY_PREFIX",
    "SKLEARN",
    "SPARK",
    "Comparison",
    "ContractError",
    "DataContract",
    "DataValidationError",
    "EstimatorError",
    "LoadedVersion",
    "MlflowHooks",
    "ModelPickleDataset",
    "ModelVersions",
    "ModelVersionsDataset",
    "NoPromotedVersion",
    "OnnxExportError",
    "OnnxGraph",
    "OnnxModelDataset",
    "OnnxParityError",
    "ProgressHooks",
    "PromotionSettings",
    "ReadableErrorsHook",
    "ServingSettings",
    "SparkHooks",
    "SparkMLModelDataset",
    "StageInputsHook",
    "UnknownClassError",
    "Verdict",
    "VersionRefused",
    "at_least_one_row",
    "check_parity",
    "check_regression_parity",
    "classification_metrics",
    "create_app",
    "describe",
    "evaluation_figure",
    "export_graph",
    "export_spark_graph",
    "fit_naive_model",
    "judge_model",
    "make_estimator",
    "make_spark_estimator",
    "model_class",
    "model_metadata",
    "naive_model",
    "normalised_categories",
    "open_project",
    "problems",
    "producing_stage",
    "regression_metrics",
    "rows_text",
    "spark_classification_metrics",
    "spark_column",
    "spark_ddl",
    "spark_quoted",
    "spark_regression_metrics",
    "spark_sample",
    "start_spark",
    "validate_spark",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # Not cached in this module's globals: `kedro layout check` may answer the module with
    # an inert stand-in while it reads a project's pipelines (kedro_plugin_layout.standins),
    # and a later import in the same process must find the real one.
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
