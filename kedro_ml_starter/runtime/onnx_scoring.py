"""Scoring an exported ONNX graph with onnxruntime: no pandas, no scikit-learn, no pickle.

The graph (see `onnx_export`) takes one [n, 1] input per raw feature column, float32 for
numbers and strings for categories, and answers a label and one probability per class
(in the order its `classes` metadata lists). A missing number is NaN; a missing category
is the empty string, which the graph's imputer turns into the same explicit category
scikit-learn's imputer fills in, so both score it alike.
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
_FLOAT, _STRING = "tensor(float)", "tensor(string)"


class OnnxGraphError(ValueError):
    """Raised when a graph cannot be scored: not loadable, or inputs of unexpected types."""


class OnnxScorer:
    """One onnxruntime session on one thread: a request is too small to share out."""

    def __init__(self, content: bytes) -> None:
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
        self._numbers = {name for name, kind in self.inputs if kind == _FLOAT}

    def score(self, columns: Mapping[str, Sequence[Any]]) -> tuple[list[str], np.ndarray]:
        """Labels and float32 probabilities [n, classes] for `columns` (one list per input;
        None or NaN for a missing value)."""
        feeds = {name: self._array(name, columns[name]) for name, _ in self.inputs}
        labels, probabilities = self._session.run(self._outputs, feeds)
        return [str(label) for label in labels], probabilities

    def score_rows(self, rows: Sequence[Any]) -> tuple[list[str], np.ndarray]:
        """`score` for objects with one attribute per input (validated request rows)."""
        return self.score({name: [getattr(row, name) for row in rows] for name, _ in self.inputs})

    def _array(self, name: str, values: Sequence[Any]) -> np.ndarray:
        if name in self._numbers:
            column = [math.nan if value is None else value for value in values]
            return np.array(column, dtype=np.float32).reshape(-1, 1)
        column = [MISSING_CATEGORY if _missing(value) else str(value) for value in values]
        return np.array(column, dtype=object).reshape(-1, 1)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
