"""What the server serves: the newest complete model version, read through the catalog.

With `runtime: onnx` that is the ONNX graph stage 03 exported (`model_onnx`): no pickle
is opened and scikit-learn is never imported. With `sklearn` or `spark` it is the fitted
`feature_transformers` and `model`, scored by the project's `predict_frame`. The model
datasets skip a version a killed run left incomplete (one log line each), so the newest
complete one is served.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kedro.io.core import DatasetError

from kedro_ml_starter.runtime.serving.rows import field_names
from kedro_ml_starter.runtime.serving.scorers import FrameRecords, OnnxRecords, PredictFrame, Scorer
from kedro_ml_starter.runtime.serving.settings import SOURCE, ServingSettings

ONNX, TRANSFORMERS, MODEL = "model_onnx", "feature_transformers", "model"
MODEL_METADATA, METRICS = "model_metadata", "metrics"


class ModelNotServable(RuntimeError):
    """Raised when there is nothing to serve yet; the message says what to run or set."""


@dataclass(frozen=True)
class Served:
    scorer: Scorer
    model_version: str
    transformers_version: str | None
    metadata: dict[str, Any]
    metrics: dict[str, Any] | None


def load_served(catalog: Any, settings: ServingSettings, predict_frame: str,
                contract: Any, run_first: str) -> Served:
    """The scorer and versions for `settings.runtime`, or ModelNotServable.

    `contract` is the project's `DataContract` (the request's columns, the task);
    `predict_frame` ("module:function") is imported only for a runtime other than onnx.
    """
    if settings.runtime == "onnx":
        return _onnx(catalog, settings, run_first, field_names(contract.request_columns))
    transformers, transformers_version = _newest(catalog, TRANSFORMERS, run_first)
    model, model_version = _newest(catalog, MODEL, run_first)
    scorer = FrameRecords(_function(predict_frame, settings), transformers, model, contract,
                          settings.probability_decimals)
    return Served(scorer, model_version, transformers_version,
                  _load_if_present(catalog, MODEL_METADATA) or {},
                  _load_if_present(catalog, METRICS))


def _onnx(catalog: Any, settings: ServingSettings, run_first: str,
          fields: Mapping[str, str]) -> Served:
    from kedro_ml_starter.runtime.onnx_scoring import METADATA_KEY, OnnxGraphError, OnnxScorer

    if ONNX not in catalog:
        raise ModelNotServable(f"the catalog has no `{ONNX}` dataset for `serving.runtime: "
                               f"onnx`: add it, or choose another runtime in {SOURCE}")
    graph, version = _newest(catalog, ONNX, run_first)
    if not graph.content:
        raise ModelNotServable(
            f"model version {version} has no ONNX graph ({graph.not_exported}): set "
            f"`serving.runtime` in {SOURCE} to what it was trained for, or train again")
    try:
        scorer = OnnxScorer(graph.content)
    except OnnxGraphError as error:
        raise ModelNotServable(f"model version {version}: {error}") from None
    metadata = json.loads(scorer.metadata.get(METADATA_KEY, "{}"))
    return Served(OnnxRecords(scorer, settings.probability_decimals, fields), version,
                  _transformers_at(catalog, version), metadata,
                  _load_if_present(catalog, METRICS))


def _function(reference: str, settings: ServingSettings) -> PredictFrame:
    """The function `reference` ("module:function") names."""
    import importlib

    module, _, name = reference.partition(":")
    if not module or not name:
        raise ModelNotServable(
            f"`serving.runtime: {settings.runtime}` scores with the project's predict_frame, "
            "which the serving stage's app.py must name (`predict_frame=\"module:function\"`)")
    return getattr(importlib.import_module(module), name)


def _newest(catalog: Any, name: str, run_first: str) -> tuple[Any, str]:
    dataset = catalog[name]
    resolve = getattr(dataset, "resolve_load_version", lambda: None)  # None: not versioned
    try:
        version = resolve()
        if not dataset.exists():
            raise DatasetError(name)
    except DatasetError:  # VersionNotFoundError is one
        raise ModelNotServable(
            f"no trained model in models/ (no complete `{name}` yet): {run_first}"
        ) from None
    return dataset.load(), version or "unversioned"


def _transformers_at(catalog: Any, version: str) -> str | None:
    """The newest transformers not newer than the graph: those stage 03 folded into it."""
    try:
        versions = catalog[TRANSFORMERS].list_versions(full_path=False)
    except (KeyError, DatasetError, AttributeError):
        return None
    return next((v for v in versions if v <= version), None)


def _load_if_present(catalog: Any, name: str) -> Any:
    return catalog.load(name) if name in catalog and catalog.exists(name) else None
