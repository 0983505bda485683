"""Batch scoring on Spark: validate new rows, then the shared `score_frame` with the model
version `kedro serve` serves (the newest promoted, or `serving.model_version`)."""

from __future__ import annotations

from typing import Any

from kedro_ml_starter.runtime.model_versions import ModelVersions
from kedro_ml_starter.runtime.spark_validation import validate_spark
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from {{ cookiecutter.python_package }}.utils.schema import (
    INPUT_COLUMNS,
    PROBABILITY_PREFIX,
)
from {{ cookiecutter.python_package }}.utils.scoring import (
    score_frame,
)
from {{ cookiecutter.python_package }}.utils.validation import (
    NEW_ROWS_SCHEMA,
)


def score_new_rows(
    new_rows: DataFrame,
    model_verdicts: ModelVersions,
    serving: dict[str, Any],
    parameters: dict[str, Any],
) -> DataFrame:
    """Predicted species and probabilities per new row, next to the row's inputs if asked,
    and the model version that scored it."""
    rows = validate_spark(new_rows, NEW_ROWS_SCHEMA)
    chosen = model_verdicts.served(serving.get("model_version"))
    scored = score_frame(rows, chosen.transformers, chosen.model)
    decimals = parameters["probability_decimals"]
    kept = [
        name
        for name in scored.columns
        if parameters["keep_input_columns"] or name not in INPUT_COLUMNS
    ]
    return scored.select(
        *(
            F.round(name, decimals).alias(name)
            if name.startswith(PROBABILITY_PREFIX)
            else F.col(name)
            for name in kept
        ),
        F.lit(chosen.version).alias("model_version"),
    )
