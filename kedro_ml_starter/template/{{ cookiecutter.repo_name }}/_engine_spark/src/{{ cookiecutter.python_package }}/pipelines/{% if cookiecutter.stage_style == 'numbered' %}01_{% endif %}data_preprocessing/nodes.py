"""Validation, cleaning and the train/eval/test split on Spark DataFrames."""

from __future__ import annotations

from typing import Any

from kedro_ml_starter.runtime.spark_validation import validate_spark
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from {{ cookiecutter.python_package }}.utils.schema import (
    NUMERIC_FEATURES,
    TARGET,
)
from {{ cookiecutter.python_package }}.utils.splits import (
    split_sizes,
)
from {{ cookiecutter.python_package }}.utils.validation import (
    RAW_SCHEMA,
)

SPLIT_RESOLUTION = 1_000_000


def validate_raw_data(raw: DataFrame) -> DataFrame:
    """The raw rows typed by the schema; the error names the column, a value, a count."""
    return validate_spark(raw, RAW_SCHEMA)


def clean_data(penguins: DataFrame, parameters: dict[str, Any]) -> DataFrame:
    """Drops rows that cannot teach the model anything: no species, or no measurement."""
    keep = F.col(TARGET).isNotNull()
    if parameters["drop_rows_without_measurements"]:
        keep &= F.greatest(*(F.col(c).isNotNull() for c in NUMERIC_FEATURES))
    return penguins.where(keep)


def split_data(
    penguins: DataFrame, parameters: dict[str, Any]
) -> tuple[DataFrame, DataFrame, DataFrame]:
    """A seeded split in which each row's part depends only on its values and the seed.

    A hash of the row, not its position, picks the part: the split is the same however
    Spark partitions the file (laptop or cluster), and identical rows always land in the
    same part, so a duplicated row cannot be in train and test at once. Every species
    gets the same fractions, so each part keeps the class balance (within sampling noise
    on small data).
    """
    test_size, eval_size = split_sizes(parameters)
    row_hash = F.xxhash64(F.lit(parameters["random_state"]), *penguins.columns)
    draw = F.pmod(row_hash, F.lit(SPLIT_RESOLUTION)) / SPLIT_RESOLUTION
    test = penguins.where(draw < test_size)
    evaluation = penguins.where((draw >= test_size) & (draw < test_size + eval_size))
    train = penguins.where(draw >= test_size + eval_size)
    return train, evaluation, test
