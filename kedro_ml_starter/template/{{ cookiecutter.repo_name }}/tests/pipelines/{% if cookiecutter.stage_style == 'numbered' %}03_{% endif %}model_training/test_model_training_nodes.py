"""Stage 03: the model trains on the training features and describes itself."""

from __future__ import annotations

from tests.helpers import stage_module

pipeline = stage_module("training", "pipeline")


def test_model_learns_the_training_split(fitted):
    train = fitted["train"]
    accuracy = (fitted["model"].predict(train.drop(columns="species")) == train["species"]).mean()
    assert accuracy > 0.95


def test_metadata_describes_the_model(fitted):
    metadata = fitted["metadata"]
    assert metadata["model_class"].endswith("LogisticRegression")
    assert metadata["train_rows"] == len(fitted["train"])
    assert metadata["feature_names"] == [c for c in fitted["train"].columns if c != "species"]
    assert metadata["classes"] == ["Adelie", "Chinstrap", "Gentoo"]
    assert metadata["trained_at"].endswith("+00:00")


def test_training_reads_only_training_features():
    (node,) = pipeline.create_pipeline().nodes
    assert set(node.inputs) == {"train_features", "params:model_training"}
