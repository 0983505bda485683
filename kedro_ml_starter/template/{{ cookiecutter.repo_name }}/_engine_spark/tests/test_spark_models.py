"""The catalog dataset for fitted Spark ML pipelines: a round trip, and versions."""

from __future__ import annotations

import pytest
from kedro.io.core import DatasetError, Version

from {{ cookiecutter.python_package }}.utils.scoring import PREDICTION
from {{ cookiecutter.python_package }}.utils.spark_models import SparkMLModelDataset


def _predictions(model, features) -> list[str]:
    return [row[PREDICTION] for row in model.transform(features).collect()]


def test_a_saved_model_loads_and_predicts_the_same(fitted, tmp_path):
    dataset = SparkMLModelDataset(filepath=str(tmp_path / "model"))
    assert not dataset.exists()
    dataset.save(fitted["model"])
    assert dataset.exists()
    loaded = dataset.load()
    assert _predictions(loaded, fitted["test"]) == _predictions(fitted["model"], fitted["test"])


def test_each_save_is_a_new_version_and_load_takes_the_latest(fitted, tmp_path):
    path = str(tmp_path / "transformers")
    first, second = "2026-01-01T00.00.00.000Z", "2026-01-02T00.00.00.000Z"
    assert not SparkMLModelDataset(filepath=path, version=Version(None, None)).exists()
    SparkMLModelDataset(filepath=path, version=Version(None, first)).save(fitted["model"])
    SparkMLModelDataset(filepath=path, version=Version(None, second)).save(
        fitted["transformers"]
    )
    assert sorted(p.name for p in (tmp_path / "transformers").iterdir()) == [first, second]
    latest = SparkMLModelDataset(filepath=path, version=Version(None, None))
    assert latest.resolve_load_version() == second
    assert [type(s).__name__ for s in latest.load().stages] == [
        type(s).__name__ for s in fitted["transformers"].stages
    ]
    pinned = SparkMLModelDataset(filepath=path, version=Version(first, None)).load()
    assert _predictions(pinned, fitted["test"]) == _predictions(fitted["model"], fitted["test"])


def test_saving_something_that_is_not_a_spark_model_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="dict is not a Spark ML model"):
        SparkMLModelDataset(filepath=str(tmp_path / "model")).save({"weights": [1, 2]})
