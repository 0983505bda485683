"""Stage 03: the model learns the training split and describes itself."""

from __future__ import annotations

from {{ cookiecutter.python_package }}.utils.schema import SPECIES

from tests.helpers import stage_module

pipeline = stage_module("training", "pipeline")


def test_model_learns_the_training_split(fitted):
    metrics = stage_module("evaluation").split_metrics(fitted["model"], fitted["train"])
    assert metrics["accuracy"] > 0.95


def test_metadata_describes_the_model(engine, fitted):
    metadata = fitted["metadata"]
    assert "LogisticRegression" in metadata["model_class"]
    rows, width = engine.matrix(fitted["train"]).shape
    assert metadata["train_rows"] == rows
    assert (
        len(metadata["feature_names"]) == len(set(metadata["feature_names"])) == width
    )
    assert metadata["classes"] == list(SPECIES)
    assert metadata["trained_at"].endswith("+00:00")


def test_training_reads_only_training_features():
    (node,) = pipeline.create_pipeline().nodes
    assert set(node.inputs) == {"train_features", "params:model_training"}
