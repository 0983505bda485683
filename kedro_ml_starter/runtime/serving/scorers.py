"""Scorers: validated request rows in, one {"prediction", "probabilities"} record per row.

- `OnnxRecords` runs the exported graph with onnxruntime, building its input arrays
  straight from the rows: microseconds, so it runs on the event loop.
- `FrameRecords` calls the project's own `predict_frame(frame, transformers, model)`
  (utils/scoring.py) on a pandas frame of the rows: scikit-learn with the pandas engine,
  Spark ML with the Spark engine (`serving.runtime: sklearn` / `spark`, for a model that
  has no faithful ONNX graph). Milliseconds or more, so it runs in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any, Protocol

Record = dict[str, Any]
PredictFrame = Callable[[Any, Any, Any], Any]
# How predict_frame names its probability columns, `probability_<class>`: projects import
# it from here (their utils/schema.py), so the scorer reads back what they write.
PROBABILITY_PREFIX = "probability_"


class Scorer(Protocol):
    classes: list[str]
    blocking: bool  # True: too slow for the event loop, scored in a worker thread

    def predict(self, rows: Sequence[Any]) -> list[Record]: ...


class OnnxRecords:
    blocking = False

    def __init__(self, scorer: Any, decimals: int) -> None:
        self._scorer = scorer
        self._decimals = decimals
        self.classes: list[str] = list(scorer.classes)

    def predict(self, rows: Sequence[Any]) -> list[Record]:
        labels, probabilities = self._scorer.score_rows(rows)
        # In float64 first: a float32 rounded to 6 decimals is still 0.798291027545929.
        rounded = probabilities.astype("float64").round(self._decimals).tolist()
        classes = self.classes
        return [{"prediction": label, "probabilities": dict(zip(classes, row))}
                for label, row in zip(labels, rounded)]


class FrameRecords:
    blocking = True

    def __init__(self, predict_frame: PredictFrame, transformers: Any, model: Any,
                 features: Mapping[str, str], decimals: int) -> None:
        """`features` maps each feature column, in order, to "number" or "category".

        Scores one throw-away row (every feature unknown) at once: that pays the first
        call's one-off costs (lazy imports; with Spark, planning and JIT) before any
        request waits on them, and names the classes from predict_frame's columns.
        """
        self._predict_frame = predict_frame
        self._transformers, self._model = transformers, model
        self._features = dict(features)
        self._decimals = decimals
        empty = SimpleNamespace(**dict.fromkeys(self._features))
        columns = self._score_frame([empty]).columns
        self.classes = [str(c)[len(PROBABILITY_PREFIX):] for c in columns
                        if str(c).startswith(PROBABILITY_PREFIX)]

    def predict(self, rows: Sequence[Any]) -> list[Record]:
        import numpy as np

        scored = self._score_frame(rows)
        names = [f"{PROBABILITY_PREFIX}{c}" for c in self.classes]
        [label_column] = [c for c in scored.columns if not str(c).startswith(PROBABILITY_PREFIX)]
        probabilities = np.column_stack([scored[n].to_numpy(dtype=np.float64) for n in names])
        rounded = probabilities.round(self._decimals).tolist()
        labels = [str(label) for label in scored[label_column].tolist()]
        return [{"prediction": label, "probabilities": dict(zip(self.classes, row))}
                for label, row in zip(labels, rounded)]

    def _score_frame(self, rows: Sequence[Any]) -> Any:
        import numpy as np
        import pandas as pd

        # Numbers as float32, as batch validation stores them; categories as plain strings
        # with NaN for missing, which the fitted transformers read like validated columns.
        columns = {
            name: np.array([np.nan if (v := getattr(row, name)) is None else v for row in rows],
                           dtype=np.float32 if kind == "number" else object)
            for name, kind in self._features.items()
        }
        # Column labels as plain objects: scikit-learn looks columns up by name on every
        # call, several times slower on pandas' default (pyarrow) string index.
        frame = pd.DataFrame(columns, columns=pd.Index([*columns], dtype=object))
        return self._predict_frame(frame, self._transformers, self._model)
