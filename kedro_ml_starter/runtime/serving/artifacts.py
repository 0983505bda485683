"""What the server serves: the model version promotion chose, read through the catalog.

The version is chosen once, at start-up, from `model_versions` (stage 04's verdicts): the
newest promoted one, or the one `kedro serve --model-version` or `serving.model_version`
pins, which must be promoted. A project whose catalog has no `model_versions` (generated
before the promotion gate) is served its newest complete version, as before.

With `runtime: onnx` that version's ONNX graph (`model_onnx`) is served: no pickle is
opened and scikit-learn is never imported. With `sklearn` or `spark` it is its fitted
transformers and model, scored by the project's `predict_frame`. The model datasets skip
a version a killed run left incomplete (one log line each).
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from kedro.io.core import DatasetError, Version

from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime.model_versions import PINNED_BY_PARAMETER
from kedro_ml_starter.runtime.promotion import Verdict
from kedro_ml_starter.runtime.serving.rows import field_names
from kedro_ml_starter.runtime.serving.scorers import FrameRecords, OnnxRecords, PredictFrame, Scorer
from kedro_ml_starter.runtime.serving.settings import SOURCE, ServingSettings

ONNX, TRANSFORMERS, MODEL = "model_onnx", "feature_transformers", "model"
MODEL_METADATA, METRICS, VERSIONS = "model_metadata", "metrics", "model_versions"
logger = logging.getLogger(__name__)


class ModelNotServable(RuntimeError):
    """Raised when there is nothing to serve yet; the message says what to run or set."""


@dataclass(frozen=True)
class Served:
    scorer: Scorer
    model_version: str
    transformers_version: str | None
    metadata: dict[str, Any]
    metrics: dict[str, Any] | None
    verdict: Verdict | None = None  # None: the project keeps no verdicts
    pinned: bool = False


@dataclass(frozen=True)
class Choice:
    """The version to serve (None: the newest complete, no promotion record) and why."""

    version: str | None
    verdict: Verdict | None = None
    pinned: bool = False
    latest_judged: str | None = None  # the version stage 04's metrics.json describes
    versions: Any = None  # the ModelVersions it was chosen from


def load_served(catalog: Any, settings: ServingSettings, predict_frame: str,
                contract: Any, run_first: str,
                pinned_by: str = PINNED_BY_PARAMETER) -> Served:
    """The scorer and versions for `settings.runtime`, or ModelNotServable.

    `contract` is the project's `DataContract` (the request's columns, the task);
    `predict_frame` ("module:function") is imported only for a runtime other than onnx.
    """
    choice = choose_version(catalog, settings.model_version, pinned_by, run_first, contract)
    if settings.runtime == "onnx":
        served = _onnx(catalog, settings, run_first, choice.version,
                       field_names(contract.request_columns))
    else:
        served = _frame(catalog, settings, predict_frame, contract, run_first, choice)
    metrics = _load_if_present(catalog, METRICS)
    if choice.version is not None and choice.latest_judged != choice.version:
        metrics = None  # metrics.json describes a later evaluation than the served version
    return replace(served, metrics=metrics, verdict=choice.verdict, pinned=choice.pinned)


def choose_version(catalog: Any, pin: str | None, pinned_by: str, run_first: str,
                   contract: Any = None) -> Choice:
    """The promoted (or pinned) version of the project's `model_versions` trained under
    `contract` (the project's DataContract), or ModelNotServable saying what to run, or
    which versions may be pinned."""
    if VERSIONS not in catalog:
        if pin is not None:
            raise ModelNotServable(f"{pinned_by} pins model version {pin}, but the catalog "
                                   f"has no `{VERSIONS}` dataset to find its verdict in")
        logger.warning("The catalog has no `%s`: serving the newest complete model version, "
                       "with no promotion gate", VERSIONS)
        return Choice(None)
    versions = catalog.load(VERSIONS)
    try:
        version = versions.choose(pin, contract=contract, pinned_by=pinned_by,
                                  run_first=run_first)
    except UserError as error:
        raise ModelNotServable(str(error)) from None
    judged = max(versions.verdicts.values(), key=lambda v: (v.judged_at, v.model_version))
    return Choice(version, versions.verdicts[version], pin is not None, judged.model_version,
                  versions)


def _frame(catalog: Any, settings: ServingSettings, predict_frame: str, contract: Any,
           run_first: str, choice: Choice) -> Served:
    if choice.version is None:
        transformers, transformers_version = _newest(catalog, TRANSFORMERS, run_first)
        model, version = _newest(catalog, MODEL, run_first)
    else:
        loaded = choice.versions.load(choice.version)
        version, model, transformers = loaded.version, loaded.model, loaded.transformers
        transformers_version = loaded.transformers_version
    scorer = FrameRecords(_function(predict_frame, settings), transformers, model, contract,
                          settings.probability_decimals)
    return Served(scorer, version, transformers_version,
                  _load_if_present(catalog, MODEL_METADATA) or {}, None)


def _onnx(catalog: Any, settings: ServingSettings, run_first: str,
          version: str | None, fields: Mapping[str, str]) -> Served:
    # onnx_scoring (numpy, onnxruntime) loads when an ONNX graph is served
    from kedro_ml_starter.runtime.onnx_scoring import METADATA_KEY, OnnxGraphError, OnnxScorer

    if ONNX not in catalog:
        raise ModelNotServable(f"the catalog has no `{ONNX}` dataset for `serving.runtime: "
                               f"onnx`: add it, or choose another runtime in {SOURCE}")
    if version is None:
        graph, version = _newest(catalog, ONNX, run_first)
    else:
        graph = _at(catalog, ONNX, version)
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
                  _transformers_at(catalog, version), metadata, None)


def _function(reference: str, settings: ServingSettings) -> PredictFrame:
    """The function `reference` ("module:function") names."""
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


def _at(catalog: Any, name: str, version: str) -> Any:
    """`name` at `version`, which must be complete."""
    dataset = catalog.get(name, version=Version(version, None))
    if not dataset.exists():
        raise ModelNotServable(f"model version {version} has no complete `{name}` (see the "
                               "log line above): pin another version, or train again")
    return dataset.load()


def _transformers_at(catalog: Any, version: str) -> str | None:
    """The newest transformers not newer than the graph: those stage 03 folded into it."""
    try:
        versions = catalog[TRANSFORMERS].list_versions(full_path=False)
    except (KeyError, DatasetError, AttributeError):
        return None
    return next((v for v in versions if v <= version), None)


def _load_if_present(catalog: Any, name: str) -> Any:
    return catalog.load(name) if name in catalog and catalog.exists(name) else None
