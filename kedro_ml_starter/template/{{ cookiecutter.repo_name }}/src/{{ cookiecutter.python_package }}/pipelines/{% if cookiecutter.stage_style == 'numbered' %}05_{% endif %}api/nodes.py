"""Batch scoring: validate new rows, then the shared `predict_frame` with the model
version `kedro serve` serves (the newest promoted, or `serving.model_version`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro_ml_starter.runtime.model_versions import ModelVersions

from {{ cookiecutter.python_package }}.utils.schema import (
    PROBABILITY_PREFIX,
)
from {{ cookiecutter.python_package }}.utils.scoring import (
    predict_frame,
)
from {{ cookiecutter.python_package }}.utils.validation import (
    NEW_ROWS_SCHEMA,
)


def score_new_rows(
    new_rows: pd.DataFrame,
    model_verdicts: ModelVersions,
    serving: dict[str, Any],
    parameters: dict[str, Any],
) -> pd.DataFrame:
    """Predicted species and probabilities per new row, next to the row's inputs if asked,
    and the model version that scored it."""
    rows = NEW_ROWS_SCHEMA.validate(new_rows)
    chosen = model_verdicts.served(serving.get("model_version"))
    predictions = predict_frame(rows, chosen.transformers, chosen.model)
    predictions["model_version"] = chosen.version
    probabilities = [c for c in predictions.columns if c.startswith(PROBABILITY_PREFIX)]
    predictions[probabilities] = predictions[probabilities].round(
        parameters["probability_decimals"]
    )
    if parameters["keep_input_columns"]:
        return pd.concat([rows, predictions], axis=1)
    return predictions
