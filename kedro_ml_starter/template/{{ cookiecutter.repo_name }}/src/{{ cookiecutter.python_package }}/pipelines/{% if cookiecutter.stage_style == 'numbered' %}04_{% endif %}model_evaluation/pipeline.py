"""Stage 04 as a Kedro pipeline: model and eval/test features in, metrics and plot out."""

from kedro.pipeline import Node, Pipeline

from .nodes import evaluate_model, plot_confusion_matrices


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                evaluate_model,
                ["model", "eval_features", "test_features"],
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
