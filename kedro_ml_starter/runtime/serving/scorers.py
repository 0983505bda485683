"""Scorers: validated request rows in, one record per row.

A classifier's record is `{"prediction": <class>, "probabilities": {<class>: p, ...}}`; a
regressor's `{"prediction": <number>}`.

- `OnnxRecords` runs the exported graph with onnxruntime, building its input arrays
  straight from the rows: microseconds, so it runs on the event loop.
- `FrameRecords` calls the project's own `predict_frame(frame, transformers, model,
  contract)` (utils/scoring.py) on a pandas frame of the rows: scikit-learn with the pandas
  engine, Spark ML with the Spark engine (`serving.runtime: sklearn` / `spark`, for a
  model that has no faithful ONNX graph). Milliseconds or more, so it runs in a worker
  thread.

Rows are the request model's objects (`rows.row_model`): a column's value is the
attribute `fields[column]` names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any, Protocol

Record = dict[str, Any]
PredictFrame = Callable[[Any, Any, Any, Any], Any]
# How predict_frame names its probability columns, `probability_<class>` (the contract's
# prediction columns use the same prefix), so the scorer reads back what they write.
PROBABILITY_PREFIX = "probability_"


class Scorer(Protocol):
    classes: list[str]  # empty for a regressor
    blocking: bool  # True: too slow for the event loop, scored in a worker thread

    def predict(self, rows: Sequence[Any]) -> list[Record]: ...


class OnnxRecords:
    blocking = False

    def __init__(self, scorer: Any, decimals: int,
                 fields: Mapping[str, str] | None = None) -> None:
        self._scorer = scorer
        self._decimals = decimals
        self._fields = dict(fields or {})
        self.classes: list[str] = [] if scorer.regression else list(scorer.classes)

    def predict(self, rows: Sequence[Any]) -> list[Record]:
        columns = self._scorer.row_columns(rows, self._fields)
        if self._scorer.regression:
            values = self._scorer.values(columns).astype("float64").round(self._decimals)
            return [{"prediction": value} for value in values.tolist()]
        labels, probabilities = self._scorer.score(columns)
        # In float64 first: a float32 rounded to 6 decimals is still 0.798291027545929.
        rounded = probabilities.astype("float64").round(self._decimals).tolist()
        classes = self.classes
        return [{"prediction": label, "probabilities": dict(zip(classes, row))}
                for label, row in zip(labels, rounded)]


class FrameRecords:
    blocking = True

    def __init__(self, predict_frame: PredictFrame, transformers: Any, model: Any,
                 contract: Any, decimals: int) -> None:
        """Scores one throw-away row (every feature unknown) at once: that pays the first
        call's one-off costs (lazy imports; with Spark, planning and JIT) before any
        request waits on them."""
        self._predict_frame = predict_frame
        self._transformers, self._model = transformers, model
        self._contract = contract
        self._features = {c.name: (c.field, c.kind) for c in contract.features}
        self._decimals = decimals
        self.classes = list(contract.classes)
        self._score_frame([SimpleNamespace(**{f: None for f, _ in self._features.values()})])

    def predict(self, rows: Sequence[Any]) -> list[Record]:
        # numpy loads when rows are scored as a frame, not when the app imports its scorers
        import numpy as np

        scored = self._score_frame(rows)
        predicted = scored[self._contract.prediction_column]
        if not self.classes:
            values = predicted.to_numpy(dtype=np.float64).round(self._decimals).tolist()
            return [{"prediction": value} for value in values]
        names = list(self._contract.probability_columns)
        probabilities = np.column_stack([scored[n].to_numpy(dtype=np.float64) for n in names])
        rounded = probabilities.round(self._decimals).tolist()
        labels = [str(label) for label in predicted.tolist()]
        return [{"prediction": label, "probabilities": dict(zip(self.classes, row))}
                for label, row in zip(labels, rounded)]

    def _score_frame(self, rows: Sequence[Any]) -> Any:
        # numpy and pandas load when rows are scored as a frame, not when the app imports this
        import numpy as np
        import pandas as pd

        # Numbers as float64, as batch validation stores them; categories as plain strings
        # with NaN for missing, which the fitted transformers read like validated columns.
        columns = {
            name: np.array([np.nan if (v := getattr(row, field)) is None else v for row in rows],
                           dtype=np.float64 if kind in ("number", "integer") else object)
            for name, (field, kind) in self._features.items()
        }
        # Column labels as plain objects: scikit-learn looks columns up by name on every
        # call, several times slower on pandas' default (pyarrow) string index.
        frame = pd.DataFrame(columns, columns=pd.Index([*columns], dtype=object))
        return self._predict_frame(frame, self._transformers, self._model, self._contract)
