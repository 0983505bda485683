"""Stage 04 as a Kedro pipeline: model and eval/test features in, metrics and a figure
out; the served ONNX graph checked against the model on the eval split."""

from kedro.pipeline import Node, Pipeline

from .nodes import check_onnx_parity, evaluate_model, plot_evaluation

SPLIT_FEATURES = ["eval_features", "test_features"]


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                check_onnx_parity,
                [
                    "model_onnx",
                    "feature_transformers",
                    "model",
                    "eval_split",
                    "params:data_contract",
                ],
                "onnx_parity",
                name="check_onnx_parity",
            ),
            Node(
                evaluate_model,
                ["model", *SPLIT_FEATURES, "params:data_contract", "onnx_parity"],
                "metrics",
                name="evaluate_model",
            ),
            Node(
                plot_evaluation,
                ["metrics", "model", *SPLIT_FEATURES, "params:data_contract"],
                "evaluation_plot",
                name="plot_evaluation",
            ),
        ]
    )
