"""Validation, cleaning and the train/eval/test split on Spark DataFrames.

What the columns hold, which one is the target and the task come from the data contract
(`params:data_contract`, conf/base/parameters_data_contract.yml).
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from kedro_ml_starter.runtime import DataContract, spark_column, validate_spark
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from {{ cookiecutter.python_package }}.utils.splits import (
    split_sizes,
)

SPLIT_RESOLUTION = 1_000_000
DRAW = "_split_draw"  # a row's place in [0, 1): which part it falls in


def validate_raw_data(raw: DataFrame, data_contract: dict[str, Any]) -> DataFrame:
    """The raw rows typed by the contract's schema; a line per problem otherwise, naming
    the column, the rule, a few values and how many rows have them."""
    return validate_spark(raw, DataContract.from_parameters(data_contract).schema())


def clean_data(
    rows: DataFrame, data_contract: dict[str, Any], parameters: dict[str, Any]
) -> DataFrame:
    """Drops rows that cannot teach the model anything: no target, or no feature value."""
    contract = DataContract.from_parameters(data_contract)
    keep = spark_column(contract.target).isNotNull()
    if parameters["drop_rows_without_features"]:
        present = (spark_column(name).isNotNull() for name in contract.feature_names)
        keep &= reduce(lambda any_so_far, this: any_so_far | this, present)
    return rows.where(keep)


def split_data(
    rows: DataFrame, data_contract: dict[str, Any], parameters: dict[str, Any]
) -> tuple[DataFrame, DataFrame, DataFrame]:
    """A seeded split in which each row's part depends only on its values and the seed.

    A hash of the row, not its position, picks the part: the split is the same however
    Spark partitions the file (laptop or cluster), and identical rows always land in the
    same part, so a duplicated row cannot be in train and test at once. For
    classification, each class's rows are ordered by their hash and cut at the same
    fractions, so each part keeps the class balance (stratified).
    """
    contract = DataContract.from_parameters(data_contract)
    test_size, eval_size = split_sizes(parameters)
    values = (spark_column(name) for name in rows.columns)
    row_hash = F.xxhash64(F.lit(parameters["random_state"]), *values)
    if contract.classification:
        by_class = Window.partitionBy(spark_column(contract.target)).orderBy(row_hash)
        draw = F.percent_rank().over(by_class)
    else:
        draw = F.pmod(row_hash, F.lit(SPLIT_RESOLUTION)) / SPLIT_RESOLUTION
    drawn = rows.withColumn(DRAW, draw)
    parts = (
        F.col(DRAW) >= test_size + eval_size,
        (F.col(DRAW) >= test_size) & (F.col(DRAW) < test_size + eval_size),
        F.col(DRAW) < test_size,
    )
    train, evaluation, test = (drawn.where(part).drop(DRAW) for part in parts)
    return train, evaluation, test
