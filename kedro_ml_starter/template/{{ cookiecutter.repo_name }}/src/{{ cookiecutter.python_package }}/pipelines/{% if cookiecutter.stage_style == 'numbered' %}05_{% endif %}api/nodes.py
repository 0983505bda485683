"""Batch scoring: validate new rows against the data contract, then `predict_frame`."""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro_ml_starter.runtime import DataContract

from {{ cookiecutter.python_package }}.utils.scoring import (
    predict_frame,
)


def validate_new_rows(
    new_rows: pd.DataFrame, data_contract: dict[str, Any]
) -> pd.DataFrame:
    """The rows to score, typed by the contract (the target may be absent); a line per
    problem otherwise."""
    return DataContract.from_parameters(data_contract).validate(new_rows, new_rows=True)


def score_new_rows(
    rows: pd.DataFrame,
    transformers: Any,
    model: Any,
    data_contract: dict[str, Any],
    parameters: dict[str, Any],
) -> pd.DataFrame:
    """The prediction (and class probabilities) per row, next to the row's inputs if
    asked."""
    contract = DataContract.from_parameters(data_contract)
    predictions = predict_frame(rows, transformers, model, contract)
    probabilities = list(contract.probability_columns)
    # In float64 first: a float32 rounded to 4 decimals is still 0.9993000031.
    decimals = parameters["probability_decimals"]
    predictions[probabilities] = (
        predictions[probabilities].astype(float).round(decimals)
    )
    if parameters["keep_input_columns"]:
        return pd.concat([rows, predictions], axis=1)
    return predictions
