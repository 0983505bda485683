"""Stage 04 as a Kedro pipeline: model and eval/test features in, metrics and plot out;
the served ONNX graph checked against the model on the eval split; the verdict (promoted
or not) from the eval split alone, so the test split never chooses what is served."""

from kedro.pipeline import Node, Pipeline
from kedro_ml_starter.runtime.model_versions import judge_model

from .nodes import (
    check_onnx_parity,
    compare_with_promoted,
    evaluate_model,
    fit_naive_model,
    plot_confusion_matrices,
    split_metrics,
)

PROMOTION = "params:model_evaluation.promotion"


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
            Node(
                split_metrics,
                ["model", "eval_features"],
                "eval_metrics",
                name="eval_metrics",
            ),
            Node(
                fit_naive_model, "train_features", "naive_model", name="fit_naive_model"
            ),
            Node(
                split_metrics,
                ["naive_model", "eval_features"],
                "naive_eval_metrics",
                name="naive_eval_metrics",
            ),
            Node(
                compare_with_promoted,
                [
                    "model_versions",
                    "feature_transformers",
                    "model",
                    "penguins_eval",
                    PROMOTION,
                ],
                "promotion_comparison",
                name="compare_with_promoted",
            ),
            Node(
                judge_model,
                [
                    "model_versions",
                    "eval_metrics",
                    "naive_eval_metrics",
                    "promotion_comparison",
                    PROMOTION,
                    "onnx_parity",  # after the parity check: no verdict if it fails
                ],
                "model_verdicts",
                name="judge_model",
            ),
        ]
    )
