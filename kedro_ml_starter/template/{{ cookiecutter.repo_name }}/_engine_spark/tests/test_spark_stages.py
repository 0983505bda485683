"""What only the Spark engine does: raw text read as Spark reads a CSV, a split that
depends on each row's values alone, counts instead of rows in memory, and a saved model
that predicts from the features vector alone."""

from __future__ import annotations

from collections import Counter

import pytest
from kedro_ml_starter.runtime.spark_datasets import SparkMLModelDataset
from pyspark.sql import functions as F

from {{ cookiecutter.python_package }}.utils.features import (
    FEATURES,
)
from {{ cookiecutter.python_package }}.utils.schema import (
    PREDICTION,
)

from tests.helpers import stage_module

preprocessing = stage_module("preprocessing")


def _rows(frame) -> Counter:
    return Counter(tuple(row) for row in frame.collect())


def test_na_and_blank_text_are_missing_values(engine, raw_table):
    row = raw_table.head(1).astype(object)
    row.loc[0, ["bill_length_mm", "sex"]] = "NA"
    row.loc[0, ["body_mass_g", "island"]] = " "
    validated = preprocessing.validate_raw_data(engine.frame(row)).first()
    assert validated["bill_length_mm"] is None and validated["body_mass_g"] is None
    assert validated["sex"] is None and validated["island"] is None
    assert validated["bill_depth_mm"] == pytest.approx(18.7)


def test_split_is_the_same_however_spark_partitions_the_rows(
    clean, splits, split_parameters
):
    shuffled = preprocessing.split_data(
        clean.repartition(5, "body_mass_g"), split_parameters
    )
    for part, again in zip(splits, shuffled):
        assert _rows(again) == _rows(part)


def test_identical_rows_land_in_the_same_part(clean, splits, split_parameters):
    doubled = preprocessing.split_data(clean.unionByName(clean), split_parameters)
    for part, twice in zip(splits, doubled):
        assert _rows(twice) == Counter({row: 2 * n for row, n in _rows(part).items()})


def test_a_species_the_model_never_saw_is_named(fitted):
    strange = fitted["test"].limit(1).withColumn("species", F.lit("Emperor"))
    evaluation = stage_module("evaluation")
    with pytest.raises(
        ValueError, match=r"species \['Emperor'\] are not among the model's"
    ):
        evaluation.split_metrics(fitted["model"], strange)


def test_the_saved_model_predicts_without_a_species_column(fitted, tmp_path):
    dataset = SparkMLModelDataset(filepath=str(tmp_path / "model"))
    dataset.save(fitted["model"])
    scored = dataset.load().transform(fitted["test"].select(FEATURES))
    assert "species" not in scored.columns
    expected = fitted["model"].transform(fitted["test"]).collect()
    predicted = scored.collect()
    assert [row[PREDICTION] for row in predicted] == [
        row[PREDICTION] for row in expected
    ]
