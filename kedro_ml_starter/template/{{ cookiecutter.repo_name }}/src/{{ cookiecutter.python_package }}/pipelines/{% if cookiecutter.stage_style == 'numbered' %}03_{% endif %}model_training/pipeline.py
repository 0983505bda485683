"""Stage 03 as a Kedro pipeline: training features in, model and its metadata out."""

from kedro.pipeline import Node, Pipeline

from .nodes import train_model


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                train_model,
                ["train_features", "params:model_training"],
                ["model", "model_metadata"],
                name="train_model",
            ),
        ]
    )
