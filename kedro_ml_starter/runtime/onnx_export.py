"""Training side of ONNX serving: one graph of fitted transformers + model, and its check.

`export_graph` converts the fitted transformers and model (a classifier or a regressor)
together with skl2onnx, so the server scores one graph with onnxruntime instead of
unpickling scikit-learn objects (`spark_onnx.export_spark_graph` does the same for Spark
ML). `check_parity` (classes and probabilities) and `check_regression_parity` (numbers)
score rows with the graph and compare them with the library's own answers (`SKLEARN` or
`SPARK`), failing the run when they disagree. Both raise `kedro_ml_starter.errors.UserError`
subclasses, which `kedro run` prints as one `Error:` line (the project's ReadableErrorsHook).

The graph computes in float32. A model whose answers float32 rounding moves (a tree
behind a scaler: a scaled value lands on the other side of a split threshold) fails the
parity check, as it should: train without the scaler (`scale_numbers: false`), or serve
with the library itself.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kedro_ml_starter import __version__
from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime.datasets import OnnxGraph
from kedro_ml_starter.runtime.onnx_scoring import (
    CLASSES_KEY,
    COLUMNS_KEY,
    METADATA_KEY,
    MISSING_CATEGORY,
    TASK_KEY,
    OnnxScorer,
)

SETTINGS_FILE = "conf/base/parameters_api.yml"
REEXPORT = "run the training stage again to export the graph with the model"
# Opsets every onnxruntime since 1.15 runs; skl2onnx's converters cover them.
TARGET_OPSET = {"": 18, "ai.onnx.ml": 3}
INPUT_KINDS = ("number", "integer", "category")  # integers go in as float32, like numbers
# A regressor's graph may differ from the library by float32 rounding: at most this share
# of the largest prediction (a linear model: ~1e-7; a tree behind a scaler: ~1e-2).
REGRESSION_TOLERANCE = 1e-4


@dataclass(frozen=True)
class Reference:
    """The library a graph is exported from, and the runtime that serves its model instead."""

    library: str
    runtime: str

    @property
    def fallback(self) -> str:
        """What a project whose model has no faithful graph sets, in words."""
        return (f"set `serving.runtime: {self.runtime}` in {SETTINGS_FILE} to serve with "
                f"{self.library} instead")


SKLEARN = Reference("scikit-learn", "sklearn")
SPARK = Reference("Spark ML", "spark")
FALLBACK = SKLEARN.fallback


class OnnxExportError(UserError):
    """Raised when the converter (skl2onnx, onnxmltools) cannot convert the fitted model."""


class OnnxParityError(UserError):
    """Raised when the exported graph and the library it came from disagree on the same rows."""


def export_graph(transformers: Any, model: Any, inputs: Mapping[str, str],
                 runtime: str = "onnx", metadata: Mapping[str, Any] | None = None) -> OnnxGraph:
    """`transformers` then `model` as one ONNX graph taking the raw `inputs` columns.

    `inputs` maps each raw feature column, in order, to "number", "integer" or
    "category". `metadata` (the model's training metadata) travels inside the graph, so
    the server describes the version it serves. With `runtime` other than "onnx" nothing
    is converted: the graph records why there is none.
    """
    if runtime != "onnx":
        return OnnxGraph(b"", f"serving.runtime is {runtime}")
    # scikit-learn loads when a graph is exported, not when Kedro imports a stage
    from sklearn.pipeline import Pipeline

    bad = {name: kind for name, kind in inputs.items() if kind not in INPUT_KINDS}
    if bad:
        raise ValueError(f"input kinds must be one of {INPUT_KINDS}, got {bad}")
    pipeline = Pipeline([("transformers", copy.deepcopy(transformers)), ("model", model)])
    _spell_missing_categories(pipeline)
    _refuse_unconvertible(pipeline)
    graph = _convert(pipeline, model, inputs)
    describe_graph(graph, getattr(model, "classes_", ()), metadata or {}, columns=list(inputs))
    return OnnxGraph(graph.SerializeToString())


def check_parity(graph: OnnxGraph, rows: Any, labels: Sequence[str],
                 probabilities: Any, classes: Sequence[str],
                 tolerance: float = 1e-3, reference: Reference = SKLEARN) -> dict[str, Any]:
    """Scores `rows` (a pandas frame of raw columns) with `graph` and compares with the
    `reference` library's `labels` and `probabilities` ([rows, classes], `classes` order).

    Returns what metrics.json records; raises OnnxParityError naming the first row that
    differs. A graph that was not exported is reported as not checked.
    """
    if not graph.content:
        return {"checked": False, "reason": graph.not_exported}
    scorer = _scorer(graph, rows)
    if list(scorer.classes) != [str(c) for c in classes]:
        raise OnnxParityError(f"the ONNX graph's classes {scorer.classes} are not the "
                              f"model's {list(classes)}: {REEXPORT}")
    onnx_labels, onnx_probabilities = scorer.score(_columns(scorer, rows))
    expected = np.asarray(probabilities, dtype=np.float64)
    difference = np.abs(onnx_probabilities.astype(np.float64) - expected)
    largest = float(difference.max()) if difference.size else 0.0
    differing = [i for i, (a, b) in enumerate(zip(onnx_labels, labels)) if a != str(b)]
    if differing:
        i = differing[0]
        raise OnnxParityError(
            f"the ONNX graph disagrees with {reference.library} on {len(differing)} of "
            f"{len(labels)} rows (first: row {i}, {onnx_labels[i]!r} instead of "
            f"{str(labels[i])!r}): {REEXPORT}, or {reference.fallback}")
    if largest > tolerance:
        row = int(difference.max(axis=1).argmax())
        raise OnnxParityError(
            f"the ONNX graph's probabilities differ from {reference.library}'s by up to "
            f"{largest:.2e} (row {row}), more than {tolerance:g}: {REEXPORT}, or "
            f"{reference.fallback}")
    return {"checked": True, "rows": len(labels), "labels_differing": 0,
            "max_probability_difference": largest, "tolerance": tolerance}


def check_regression_parity(graph: OnnxGraph, rows: Any, predictions: Any,
                            tolerance: float = REGRESSION_TOLERANCE,
                            reference: Reference = SKLEARN) -> dict[str, Any]:
    """Scores `rows` (a pandas frame of raw columns) with a regressor's `graph` and compares
    with the `reference` library's `predictions`: the largest difference, relative to the
    largest prediction, must be at most `tolerance`.

    Returns what metrics.json records; raises OnnxParityError naming the row that differs
    most. A graph that was not exported is reported as not checked.
    """
    if not graph.content:
        return {"checked": False, "reason": graph.not_exported}
    scorer = _scorer(graph, rows)
    expected = np.asarray(predictions, dtype=np.float64).reshape(-1)
    difference = np.abs(scorer.values(_columns(scorer, rows)).astype(np.float64) - expected)
    scale = float(np.abs(expected).max()) if expected.size else 0.0
    largest = float(difference.max()) if difference.size else 0.0
    relative = largest / scale if scale > 0 else largest
    if relative > tolerance:
        row = int(difference.argmax())
        # scikit-learn's graphs compute in float32, which moves a tree behind a scaler; a
        # Spark graph that differs is one onnxmltools converted unfaithfully.
        cause = ("float32 rounding moves this model's answers (a tree behind a scaler? set "
                 "`scale_numbers: false` in conf/base/parameters_feature_engineering.yml)"
                 if reference == SKLEARN else "the converter does not reproduce this model")
        raise OnnxParityError(
            f"the ONNX graph's predictions differ from {reference.library}'s by up to "
            f"{largest:.4g} (row {row}: {expected[row]:.6g}), {relative:.2e} of the largest "
            f"prediction, more than {tolerance:g}: {cause}, or {reference.fallback}")
    return {"checked": True, "rows": int(expected.size), "max_difference": largest,
            "max_relative_difference": relative, "tolerance": tolerance}


def _scorer(graph: OnnxGraph, rows: Any) -> OnnxScorer:
    scorer = OnnxScorer(graph.content)
    missing = [name for name in scorer.columns if name not in rows]
    if missing:
        raise OnnxParityError(f"the ONNX graph needs columns the rows lack: {', '.join(missing)}: "
                              f"{REEXPORT}")
    return scorer


def _columns(scorer: OnnxScorer, rows: Any) -> dict[str, Any]:
    """The graph's columns of a pandas frame: numbers as float arrays (NaN for missing),
    categories as lists of values."""
    # pandas loads when rows are scored, not when a Spark project's stage 04 is imported
    import pandas as pd

    out: dict[str, Any] = {}
    for (_, kind), name in zip(scorer.inputs, scorer.columns):
        values = rows[name]
        if kind == "tensor(float)":
            out[name] = pd.to_numeric(values).to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            out[name] = values.astype(object).where(values.notna(), None).tolist()
    return out


def _estimators(estimator: Any) -> Iterator[Any]:
    """`estimator` and every fitted estimator inside it (pipelines, column transformers)."""
    if isinstance(estimator, str):  # "passthrough", "drop"
        return
    yield estimator
    for _, child, *_ in getattr(estimator, "transformers_", None) or ():
        yield from _estimators(child)
    for _, child in getattr(estimator, "steps", None) or ():
        yield from _estimators(child)
    for _, child in getattr(estimator, "transformer_list", None) or ():
        yield from _estimators(child)


def _spell_missing_categories(pipeline: Any) -> None:
    """Imputers that fill a missing category learned to look for NaN, which a string input
    cannot hold: in the graph they look for MISSING_CATEGORY (the copy is changed, not the
    fitted object)."""
    # scikit-learn loads when a graph is exported, not when Kedro imports a stage
    from sklearn.impute import SimpleImputer

    for estimator in _estimators(pipeline):
        if isinstance(estimator, SimpleImputer) and isinstance(estimator.fill_value, str):
            estimator.missing_values = MISSING_CATEGORY


def _refuse_unconvertible(pipeline: Any) -> None:
    # skl2onnx loads when a graph is exported, not when Kedro imports a stage
    from skl2onnx._supported_operators import (  # type: ignore[import-untyped]
        sklearn_operator_name_map,
    )

    for estimator in _estimators(pipeline):
        kind = type(estimator)
        if kind not in sklearn_operator_name_map:
            raise OnnxExportError(
                f"cannot export to ONNX: skl2onnx has no converter for "
                f"{kind.__module__}.{kind.__qualname__}; {FALLBACK}")


def _convert(pipeline: Any, model: Any, inputs: Mapping[str, str]) -> Any:
    # skl2onnx loads when a graph is exported, not when Kedro imports a stage
    from skl2onnx import convert_sklearn  # type: ignore[import-untyped]
    from skl2onnx.common.data_types import (  # type: ignore[import-untyped]
        FloatTensorType,
        StringTensorType,
    )

    types = [(name, StringTensorType([None, 1]) if kind == "category"
              else FloatTensorType([None, 1])) for name, kind in inputs.items()]
    options = {id(model): {"zipmap": False}} if hasattr(model, "classes_") else {}
    try:
        return convert_sklearn(pipeline, initial_types=types, target_opset=TARGET_OPSET,
                               options=options)
    except Exception as error:  # noqa: BLE001 - skl2onnx raises many kinds: one line for all
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        name = f"{type(model).__module__}.{type(model).__qualname__}"
        raise OnnxExportError(f"cannot export {name} and its transformers to ONNX "
                              f"({reason}); {FALLBACK}") from None


def describe_graph(graph: Any, classes: Sequence[Any], metadata: Mapping[str, Any],
                   columns: Sequence[str] | None = None) -> None:
    """Writes the classes (in probability order; none: a regressor), the raw column each
    input reads (`columns`, in input order; default: the input names) and the training
    metadata into `graph`, where the server reads them."""
    # onnx loads when a graph is exported, not when Kedro imports a stage
    from onnx import helper

    names = list(columns) if columns is not None else [i.name for i in graph.graph.input]
    helper.set_model_props(graph, {
        CLASSES_KEY: json.dumps([str(c) for c in classes]),
        COLUMNS_KEY: json.dumps([str(name) for name in names]),
        TASK_KEY: "classification" if len(classes) else "regression",
        METADATA_KEY: json.dumps(dict(metadata), default=str),
        "exported_by": f"kedro-ml-structure {__version__}",
    })
