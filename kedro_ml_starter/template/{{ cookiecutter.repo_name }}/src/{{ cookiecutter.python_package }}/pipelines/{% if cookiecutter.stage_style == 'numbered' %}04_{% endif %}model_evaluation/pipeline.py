"""Stage 04 as a Kedro pipeline: model and eval/test features in, metrics and a figure
out; the served ONNX graph checked against the model on the eval split; the verdict
(promoted or not) from the eval split alone, after the parity check."""

from kedro.pipeline import Node, Pipeline
from kedro_ml_starter.runtime import fit_naive_model, judge_model

from .nodes import (
    check_onnx_parity,
    compare_with_promoted,
    eval_metrics,
    evaluate_model,
    plot_evaluation,
)

SPLIT_FEATURES = ["eval_features", "test_features"]
CONTRACT, PROMOTION = "params:data_contract", "params:model_evaluation.promotion"


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
            Node(
                eval_metrics,
                ["model", "eval_features", CONTRACT],
                "eval_metrics",
                name="eval_metrics",
            ),
            Node(
                fit_naive_model,
                ["train_features", CONTRACT],
                "naive_model",
                name="fit_naive_model",
            ),
            Node(
                eval_metrics,
                ["naive_model", "eval_features", CONTRACT],
                "naive_eval_metrics",
                name="naive_eval_metrics",
            ),
            Node(
                compare_with_promoted,
                ["model_versions", "eval_metrics", "eval_split", CONTRACT, PROMOTION],
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
