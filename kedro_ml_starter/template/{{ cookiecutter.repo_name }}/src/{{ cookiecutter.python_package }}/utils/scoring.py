"""Scoring: one function shared by the batch pipeline (stage 05), the metrics and parity
check of stage 04 and the HTTP app's `sklearn` runtime.

All of them call `predict_frame` with the same persisted transformers and model, so a row
gets the same prediction whichever way it is scored.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from kedro_ml_starter.runtime import DataContract

from .features import build_features


def class_probabilities(
    model: Any, features: pd.DataFrame, contract: DataContract
) -> np.ndarray:
    """[rows, classes] in the contract's class order; 0 for a class the model never saw."""
    learned = np.asarray(model.predict_proba(features), dtype=np.float32)
    probabilities = np.zeros((len(features), len(contract.classes)), dtype=np.float32)
    for i, label in enumerate(str(c) for c in model.classes_):
        probabilities[:, contract.classes.index(label)] = learned[:, i]
    return probabilities


def predict_frame(
    rows: pd.DataFrame, transformers: Any, model: Any, contract: DataContract
) -> pd.DataFrame:
    """`predicted_<target>` per row, indexed like `rows`, and for classification one
    `probability_<class>` column per class.

    `rows` holds raw columns that already passed validation (`DataContract.validate` or
    the HTTP app's request model); the target column, if present, is ignored.
    """
    features = build_features(rows, transformers)
    if not contract.classification:
        predicted = np.asarray(model.predict(features), dtype=np.float64)
        return pd.DataFrame({contract.prediction_column: predicted}, index=rows.index)
    probabilities = class_probabilities(model, features, contract)
    labels = np.asarray(contract.classes, dtype=object)[probabilities.argmax(axis=1)]
    columns: dict[str, Any] = {
        contract.prediction_column: pd.Categorical(labels, categories=contract.classes)
    }
    for i, name in enumerate(contract.probability_columns):
        columns[name] = probabilities[:, i]
    return pd.DataFrame(columns, index=rows.index)
