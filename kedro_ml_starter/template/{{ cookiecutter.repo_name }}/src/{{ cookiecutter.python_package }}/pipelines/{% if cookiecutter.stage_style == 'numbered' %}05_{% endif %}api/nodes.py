"""Batch scoring: validate new rows, then the shared `predict_frame`."""

from __future__ import annotations

from typing import Any

import pandas as pd

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
    new_rows: pd.DataFrame, transformers: Any, model: Any, parameters: dict[str, Any]
) -> pd.DataFrame:
    """Predicted species and probabilities per new row, next to the row's inputs if asked."""
    rows = NEW_ROWS_SCHEMA.validate(new_rows)
    predictions = predict_frame(rows, transformers, model)
    probabilities = [c for c in predictions.columns if c.startswith(PROBABILITY_PREFIX)]
    predictions[probabilities] = predictions[probabilities].round(
        parameters["probability_decimals"]
    )
    if parameters["keep_input_columns"]:
        return pd.concat([rows, predictions], axis=1)
    return predictions
