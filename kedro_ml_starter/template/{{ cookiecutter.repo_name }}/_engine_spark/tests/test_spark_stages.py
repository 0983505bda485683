"""What only the Spark engine does: raw text read as Spark reads a CSV, a split that
depends on each row's values alone, counts instead of rows in memory, and a saved model
that predicts from its input vector alone."""

from __future__ import annotations

from collections import Counter

import pytest
from kedro_ml_starter.runtime import (
    SparkMLModelDataset,
    UnknownClassError,
    spark_column,
)
from pyspark.sql import functions as F

from {{ cookiecutter.python_package }}.utils.features import (
    FEATURES,
)

from tests.helpers import contract, parameters, stage_module

preprocessing = stage_module("preprocessing")
CONTRACT = contract()
DATA = parameters("data_contract")


def _rows(frame) -> Counter:
    return Counter(tuple(row) for row in frame.collect())


def test_na_and_blank_text_are_missing_values(engine, raw_table):
    nullable = [c.name for c in CONTRACT.columns if c.nullable and c.kind != "text"]
    if len(nullable) < 2:
        pytest.skip("the data contract has no two columns that may be missing")
    row = raw_table.head(1).astype(object)
    row.loc[row.index[0], nullable[0]] = "NA"
    row.loc[row.index[0], nullable[1]] = " "
    validated = preprocessing.validate_raw_data(engine.frame(row), DATA).first()
    assert validated[nullable[0]] is None and validated[nullable[1]] is None


def test_split_is_the_same_however_spark_partitions_the_rows(
    clean, splits, split_parameters
):
    repartitioned = clean.repartition(5, spark_column(CONTRACT.target))
    again = preprocessing.split_data(repartitioned, DATA, split_parameters)
    for part, other in zip(splits, again):
        assert _rows(other) == _rows(part)


def test_identical_rows_land_in_the_same_part(clean, splits, split_parameters):
    doubled = preprocessing.split_data(clean.unionByName(clean), DATA, split_parameters)
    for part, twice in zip(splits, doubled):
        assert _rows(twice) == Counter({row: 2 * n for row, n in _rows(part).items()})


def test_a_class_the_model_does_not_know_is_named(fitted):
    if not CONTRACT.classification:
        pytest.skip("a regression has no classes")
    strange = fitted["test"].limit(1).withColumn(CONTRACT.target, F.lit("not-a-class"))
    evaluation = stage_module("evaluation")
    with pytest.raises(
        UnknownClassError, match="not-a-class are not among the model's"
    ):
        evaluation.split_metrics(fitted["model"], strange, CONTRACT)


def test_the_saved_model_predicts_from_its_input_vector_alone(fitted, tmp_path):
    dataset = SparkMLModelDataset(filepath=str(tmp_path / "model"))
    dataset.save(fitted["model"])
    inputs = fitted["test"].select(FEATURES)
    loaded = dataset.load().transform(inputs).drop(FEATURES).collect()
    expected = fitted["model"].transform(inputs).drop(FEATURES).collect()
    assert loaded == expected
