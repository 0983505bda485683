"""Scoring: one function shared by the batch pipeline (stage 05), the parity check of
stage 04 and the HTTP app's `sklearn` runtime.

All of them call `predict_frame` with the same persisted transformers and model, so a row
gets the same prediction whichever way it is scored.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .features import build_features
from .schema import COLUMNS_BY_NAME, PREDICTION, PROBABILITY_PREFIX, TARGET
from .validation import dtype

_TARGET_DTYPE = dtype(COLUMNS_BY_NAME[TARGET])


def classes_of(model: Any) -> list[str]:
    """The species the model predicts, in the order of its probability columns."""
    return [str(c) for c in model.classes_]


def predict_frame(rows: pd.DataFrame, transformers: Any, model: Any) -> pd.DataFrame:
    """Predicted species and one probability column per species, indexed like `rows`.

    `rows` holds raw columns that already passed validation (`validation.NEW_ROWS_SCHEMA`
    or the HTTP app's request model); the target column, if present, is ignored.
    """
    features = build_features(rows, transformers)
    probabilities = np.asarray(model.predict_proba(features), dtype=np.float32)
    classes = classes_of(model)
    predicted = pd.Categorical(
        np.asarray(classes, dtype=object)[probabilities.argmax(axis=1)],
        dtype=_TARGET_DTYPE,
    )
    columns = {PREDICTION: predicted}
    for i, species in enumerate(classes):
        columns[PROBABILITY_PREFIX + species] = probabilities[:, i]
    return pd.DataFrame(columns, index=rows.index)
