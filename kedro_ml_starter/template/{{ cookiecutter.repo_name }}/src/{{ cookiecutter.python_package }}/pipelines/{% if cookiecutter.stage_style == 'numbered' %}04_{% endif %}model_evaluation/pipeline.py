"""Stage 04 as a Kedro pipeline: model and eval/test features in, metrics and plot out;
the served ONNX graph checked against the model on the eval split."""

from kedro.pipeline import Node, Pipeline

from .nodes import check_onnx_parity, evaluate_model, plot_confusion_matrices


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                check_onnx_parity,
                ["model_onnx", "feature_transformers", "model", "penguins_eval"],
                "onnx_parity",
                name="check_onnx_parity",
            ),
            Node(
                evaluate_model,
                ["model", "eval_features", "test_features", "onnx_parity"],
                "metrics",
                name="evaluate_model",
            ),
            Node(
                plot_confusion_matrices,
                "metrics",
                "confusion_matrix_plot",
                name="plot_confusion_matrices",
            ),
        ]
    )
