"""Stage 03 as a Kedro pipeline: training features in, model and its metadata out, then
the ONNX graph the HTTP app serves."""

from kedro.pipeline import Node, Pipeline

from .nodes import export_onnx, train_model


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                train_model,
                ["train_features", "params:data_contract", "params:model_training"],
                ["model", "model_metadata"],
                name="train_model",
            ),
            Node(
                export_onnx,
                [
                    "feature_transformers",
                    "model",
                    "model_metadata",
                    "params:data_contract",
                    "params:serving",
                ],
                "model_onnx",
                name="export_onnx",
            ),
        ]
    )
