"""Batch scoring: validate new rows against the data contract, then `predict_frame` with
the model version `kedro serve` serves (the newest promoted, or `serving.model_version`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro_ml_starter.runtime import DataContract, ModelVersions

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
    model_verdicts: ModelVersions,
    data_contract: dict[str, Any],
    serving: dict[str, Any],
    parameters: dict[str, Any],
) -> pd.DataFrame:
    """The prediction (and class probabilities) per row, next to the row's inputs if
    asked, and the model version that scored it."""
    contract = DataContract.from_parameters(data_contract)
    chosen = model_verdicts.served(serving.get("model_version"), contract=contract)
    predictions = predict_frame(rows, chosen.transformers, chosen.model, contract)
    probabilities = list(contract.probability_columns)
    # In float64 first: a float32 rounded to 4 decimals is still 0.9993000031.
    decimals = parameters["probability_decimals"]
    predictions[probabilities] = (
        predictions[probabilities].astype(float).round(decimals)
    )
    predictions["model_version"] = chosen.version
    if parameters["keep_input_columns"]:
        return pd.concat([rows, predictions], axis=1)
    return predictions
