"""Batch scoring on Spark: validate new rows against the data contract, then the shared
`score_frame` with the model version `kedro serve` serves (the newest promoted, or
`serving.model_version`)."""

from __future__ import annotations

from typing import Any

from kedro_ml_starter.runtime import (
    DataContract,
    ModelVersions,
    spark_column,
    validate_spark,
)
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
    model_verdicts: ModelVersions,
    data_contract: dict[str, Any],
    serving: dict[str, Any],
    parameters: dict[str, Any],
) -> DataFrame:
    """The prediction (and class probabilities) per row, next to the row's inputs if
    asked, and the model version that scored it."""
    contract = DataContract.from_parameters(data_contract)
    chosen = model_verdicts.served(serving.get("model_version"), contract=contract)
    scored = score_frame(rows, chosen.transformers, chosen.model, contract)
    inputs = rows.columns if parameters["keep_input_columns"] else []
    decimals = parameters["probability_decimals"]
    return scored.select(
        *(spark_column(name) for name in [*inputs, contract.prediction_column]),
        *(
            F.round(spark_column(name), decimals).alias(name)
            for name in contract.probability_columns
        ),
        F.lit(chosen.version).alias("model_version"),
    )
