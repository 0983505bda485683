"""The catalog dataset for fitted Spark ML models: a round trip, versions, a version a killed
run left partial, and a refusal."""

from __future__ import annotations

import logging
import shutil

import pytest
from kedro.io.core import DatasetError, Version

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def rows(spark):
    return spark.createDataFrame([("a", 1.0), ("b", 2.0), ("a", 3.0)], "label string, x double")


def _fitted(rows, order: str):
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import StringIndexer

    indexer = StringIndexer(inputCol="label", outputCol="index", stringOrderType=order)
    return Pipeline(stages=[indexer]).fit(rows)


def _indexes(model, rows) -> list[float]:
    return [row["index"] for row in model.transform(rows).collect()]


def test_a_saved_model_loads_and_transforms_the_same(rows, tmp_path):
    from kedro_ml_starter.runtime.spark_datasets import SparkMLModelDataset

    dataset = SparkMLModelDataset(filepath=str(tmp_path / "model"))
    assert not dataset.exists()
    model = _fitted(rows, "frequencyDesc")
    dataset.save(model)
    assert dataset.exists()
    assert _indexes(dataset.load(), rows) == _indexes(model, rows) == [0.0, 1.0, 0.0]


def test_each_save_is_a_new_version_and_load_takes_the_latest(rows, tmp_path):
    from kedro_ml_starter.runtime.spark_datasets import SparkMLModelDataset

    path = str(tmp_path / "model")
    first, second = "2026-01-01T00.00.00.000Z", "2026-01-02T00.00.00.000Z"
    assert not SparkMLModelDataset(filepath=path, version=Version(None, None)).exists()
    SparkMLModelDataset(filepath=path, version=Version(None, first)).save(
        _fitted(rows, "frequencyDesc"))
    SparkMLModelDataset(filepath=path, version=Version(None, second)).save(
        _fitted(rows, "alphabetDesc"))
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == [first, second]
    latest = SparkMLModelDataset(filepath=path, version=Version(None, None))
    assert latest.resolve_load_version() == second
    assert _indexes(latest.load(), rows) == [1.0, 0.0, 1.0]  # b before a
    pinned = SparkMLModelDataset(filepath=path, version=Version(first, None))
    assert _indexes(pinned.load(), rows) == [0.0, 1.0, 0.0]


def test_saving_something_that_is_not_a_spark_model_is_refused(tmp_path):
    from kedro_ml_starter.runtime.spark_datasets import SparkMLModelDataset

    with pytest.raises(DatasetError, match="dict is not a Spark ML model"):
        SparkMLModelDataset(filepath=str(tmp_path / "model")).save({"weights": [1, 2]})


def test_a_partial_newest_version_is_skipped_with_one_line(rows, tmp_path, caplog):
    from kedro_ml_starter.runtime.spark_datasets import SparkMLModelDataset

    path = str(tmp_path / "model")
    first, partial = "2026-01-01T00.00.00.000Z", "2026-01-02T00.00.00.000Z"
    SparkMLModelDataset(filepath=path, version=Version(None, first)).save(
        _fitted(rows, "frequencyDesc"))
    # A run killed while Spark was writing: the folder is there, its record is not.
    shutil.copytree(tmp_path / "model" / first, tmp_path / "model" / partial)
    (tmp_path / "model" / partial / "model.complete").unlink()

    latest = SparkMLModelDataset(filepath=path, version=Version(None, None))
    with caplog.at_level(logging.WARNING, logger="kedro_ml_starter.runtime.datasets"):
        assert latest.resolve_load_version() == first
        assert _indexes(latest.load(), rows) == [0.0, 1.0, 0.0]
    assert [r.getMessage() for r in caplog.records] == [
        (f"Skipping version {partial} of {tmp_path / 'model'}: model has no completeness "
         "record (a run stopped while saving it)")]
    pinned = SparkMLModelDataset(filepath=path, version=Version(partial, None))
    with pytest.raises(DatasetError, match=f"version {partial} of .*model is incomplete: "
                                           "model has no completeness record"):
        pinned.load()
