"""Validation, cleaning and the train/eval/test split on Spark DataFrames."""

from __future__ import annotations

from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from {{ cookiecutter.python_package }}.utils.schema import NUMERIC_FEATURES, TARGET
from {{ cookiecutter.python_package }}.utils.spark_validation import validate_spark_frame

SPLIT_RESOLUTION = 1_000_000


def validate_raw_data(raw: DataFrame) -> DataFrame:
    """The raw rows with schema types; a RawDataError names the bad column and value."""
    return validate_spark_frame(raw, require_target=True)


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
    on small data). `test_size` and `eval_size` are fractions of all rows.
    """
    test_size, eval_size = parameters["test_size"], parameters["eval_size"]
    if not (0 < test_size < 1 and 0 < eval_size < 1 and test_size + eval_size < 1):
        raise ValueError(
            f"test_size ({test_size}) and eval_size ({eval_size}) must be between 0 and 1 "
            "and leave rows for training; fix conf/base/parameters_data_preprocessing.yml"
        )
    draw = F.pmod(F.xxhash64(F.lit(parameters["random_state"]), *penguins.columns),
                  F.lit(SPLIT_RESOLUTION)) / SPLIT_RESOLUTION
    test = penguins.where(draw < test_size)
    evaluation = penguins.where((draw >= test_size) & (draw < test_size + eval_size))
    train = penguins.where(draw >= test_size + eval_size)
    return train, evaluation, test
