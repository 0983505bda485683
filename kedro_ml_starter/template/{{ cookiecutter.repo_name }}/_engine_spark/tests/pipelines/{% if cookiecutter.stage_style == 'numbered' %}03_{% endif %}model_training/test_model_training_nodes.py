"""Stage 03 on Spark: the model learns the training split, describes itself, and the saved
model predicts from features alone."""

from __future__ import annotations

from pyspark.sql import functions as F

from tests.helpers import stage_module
from {{ cookiecutter.python_package }}.utils.features import FEATURES
from {{ cookiecutter.python_package }}.utils.scoring import PREDICTION
from {{ cookiecutter.python_package }}.utils.spark_models import SparkMLModelDataset

pipeline = stage_module("training", "pipeline")


def _accuracy(model, features) -> float:
    scored = model.transform(features)
    return scored.where(F.col(PREDICTION) == F.col("species")).count() / scored.count()


def test_model_learns_the_training_split(fitted):
    assert _accuracy(fitted["model"], fitted["train"]) > 0.95


def test_metadata_describes_the_model(fitted):
    metadata, train = fitted["metadata"], fitted["train"]
    assert metadata["model_class"].endswith("LogisticRegressionModel")
    assert metadata["train_rows"] == train.count()
    size = len(train.first()[FEATURES])
    assert len(metadata["feature_names"]) == size
    assert len(set(metadata["feature_names"])) == size
    assert metadata["classes"] == ["Adelie", "Chinstrap", "Gentoo"]
    assert metadata["trained_at"].endswith("+00:00")


def test_the_saved_model_predicts_without_a_species_column(fitted, tmp_path):
    dataset = SparkMLModelDataset(filepath=str(tmp_path / "model"))
    dataset.save(fitted["model"])
    scored = dataset.load().transform(fitted["test"].select(FEATURES))
    assert "species" not in scored.columns
    expected = [r[PREDICTION] for r in fitted["model"].transform(fitted["test"]).collect()]
    assert [r[PREDICTION] for r in scored.collect()] == expected


def test_training_reads_only_training_features():
    (node,) = pipeline.create_pipeline().nodes
    assert set(node.inputs) == {"train_features", "params:model_training"}
