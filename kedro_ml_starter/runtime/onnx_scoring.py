"""Scoring an exported ONNX graph with onnxruntime: no pandas, no scikit-learn, no pickle.

The graph (see `onnx_export`) takes one [n, 1] input per raw feature column, float32 for
numbers and strings for categories. A classifier's graph answers a label and one
probability per class (in the order its `classes` metadata lists); a regressor's, one
number per row. A missing number is NaN; a missing category is the empty string, which
the graph's imputer turns into the same explicit category scikit-learn's imputer fills
in, so both score it alike.

ONNX input names are identifiers (the converter rewrites `od280/od315` as
`od280_od315`): the graph's `columns` metadata lists the raw column each input reads, in
input order, and callers name columns as the data does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

MISSING_CATEGORY = ""  # how a graph input spells a missing category
CLASSES_KEY = "classes"  # the graph metadata that lists the classes, JSON
METADATA_KEY = "model_metadata"  # the graph metadata holding the training metadata, JSON
COLUMNS_KEY = "columns"  # the raw column of each graph input, in input order, JSON
TASK_KEY = "task"  # classification or regression
_FLOAT, _STRING = "tensor(float)", "tensor(string)"


class OnnxGraphError(ValueError):
    """Raised when a graph cannot be scored: not loadable, or inputs of unexpected types."""


class OnnxScorer:
    """One onnxruntime session on one thread: a request is too small to share out."""

    def __init__(self, content: bytes) -> None:
        # onnxruntime loads when a graph is scored, not when a stage is imported
        import onnxruntime  # type: ignore[import-untyped]

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: a server log is read by people
        try:
            self._session = onnxruntime.InferenceSession(
                content, options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # noqa: BLE001 - onnxruntime raises untyped Fail, InvalidGraph
            raise OnnxGraphError(f"onnxruntime cannot load the graph: {_first_line(error)}") from None
        self.inputs = [(i.name, i.type) for i in self._session.get_inputs()]
        unsupported = [f"{name} ({kind})" for name, kind in self.inputs
                       if kind not in (_FLOAT, _STRING)]
        if unsupported:
            raise OnnxGraphError(f"graph inputs of unsupported types: {', '.join(unsupported)}")
        metadata = self._session.get_modelmeta().custom_metadata_map
        self.metadata: dict[str, str] = dict(metadata)
        self.classes: list[str] = json.loads(metadata.get(CLASSES_KEY, "[]"))
        self._outputs = [o.name for o in self._session.get_outputs()]
        self.regression = metadata.get(TASK_KEY) == "regression" or len(self._outputs) == 1
        # The raw column each input reads (graphs exported before 0.3 name them alike).
        names = json.loads(metadata.get(COLUMNS_KEY, "null")) or [n for n, _ in self.inputs]
        self.columns: list[str] = [str(name) for name in names]
        self._numbers = {name for name, kind in self.inputs if kind == _FLOAT}

    def score(self, columns: Mapping[str, Sequence[Any]]) -> tuple[list[str], np.ndarray]:
        """A classifier's labels and float32 probabilities [n, classes] for `columns` (one
        list per raw column; None or NaN for a missing value)."""
        labels, probabilities = self._session.run(self._outputs, self._feeds(columns))
        return [str(label) for label in labels], probabilities

    def values(self, columns: Mapping[str, Sequence[Any]]) -> np.ndarray:
        """A regressor's predictions, float32 [n], for `columns` (as `score` takes them)."""
        [predictions] = self._session.run(self._outputs[:1], self._feeds(columns))
        return np.asarray(predictions, dtype=np.float32).reshape(-1)

    def row_columns(self, rows: Sequence[Any],
                    fields: Mapping[str, str] | None = None) -> dict[str, list[Any]]:
        """`columns` from objects with an attribute per raw column (validated request rows),
        the attribute named by `fields` where it is not the column's name."""
        fields = fields or {}
        return {column: [getattr(row, fields.get(column, column)) for row in rows]
                for column in self.columns}

    def score_rows(self, rows: Sequence[Any],
                   fields: Mapping[str, str] | None = None) -> tuple[list[str], np.ndarray]:
        """`score` for validated request rows (see `row_columns`)."""
        return self.score(self.row_columns(rows, fields))

    def _feeds(self, columns: Mapping[str, Sequence[Any]]) -> dict[str, np.ndarray]:
        return {name: self._array(name, columns[column])
                for (name, _), column in zip(self.inputs, self.columns)}

    def _array(self, name: str, values: Sequence[Any]) -> np.ndarray:
        if name in self._numbers:
            if isinstance(values, np.ndarray) and values.dtype.kind == "f":
                return values.astype(np.float32).reshape(-1, 1)
            column = [math.nan if value is None else value for value in values]
            return np.array(column, dtype=np.float32).reshape(-1, 1)
        column = [MISSING_CATEGORY if _missing(value) else str(value) for value in values]
        return np.array(column, dtype=object).reshape(-1, 1)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
