"""Batch scoring on Spark: validate new rows against the data contract, then the shared
`score_frame`."""

from __future__ import annotations

from typing import Any

from kedro_ml_starter.runtime import DataContract, spark_column, validate_spark
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from {{ cookiecutter.python_package }}.utils.scoring import (
    score_frame,
)


def validate_new_rows(new_rows: DataFrame, data_contract: dict[str, Any]) -> DataFrame:
    """The rows to score, typed by the contract (the target may be absent); a line per
    problem otherwise."""
    schema = DataContract.from_parameters(data_contract).schema(new_rows=True)
    return validate_spark(new_rows, schema)


def score_new_rows(
    rows: DataFrame,
    transformers: Any,
    model: Any,
    data_contract: dict[str, Any],
    parameters: dict[str, Any],
) -> DataFrame:
    """The prediction (and class probabilities) per row, next to the row's inputs if
    asked."""
    contract = DataContract.from_parameters(data_contract)
    scored = score_frame(rows, transformers, model, contract)
    inputs = rows.columns if parameters["keep_input_columns"] else []
    decimals = parameters["probability_decimals"]
    return scored.select(
        *(spark_column(name) for name in [*inputs, contract.prediction_column]),
        *(
            F.round(spark_column(name), decimals).alias(name)
            for name in contract.probability_columns
        ),
    )
