"""Evaluation on Spark: each split is scored and reduced to counts by Spark; the metrics
and the figure come from those counts (the same report as the pandas engine's). The
check that the ONNX graph the app serves scores like the model, and the verdict on it:
promoted (served) or not, from the eval split only."""

from __future__ import annotations

from typing import Any

from kedro_ml_starter.runtime.datasets import OnnxGraph
from kedro_ml_starter.runtime.model_versions import ModelVersions
from kedro_ml_starter.runtime.onnx_export import SPARK, check_parity
from kedro_ml_starter.runtime.promotion import Comparison
from pyspark.sql import DataFrame

from {{ cookiecutter.python_package }}.utils.reporting import (
    classification_metrics,
    model_class,
    plot_confusion_matrices,
)
from {{ cookiecutter.python_package }}.utils.schema import (
    PREDICTION,
    PROBABILITY_PREFIX,
    TARGET,
)
from {{ cookiecutter.python_package }}.utils.scoring import (
    classes_of,
    score_frame,
)

__all__ = [
    "check_onnx_parity",
    "compare_with_promoted",
    "evaluate_model",
    "plot_confusion_matrices",
    "split_metrics",
]


def check_onnx_parity(
    model_onnx: OnnxGraph, transformers: Any, model: Any, eval_split: DataFrame
) -> dict[str, Any]:
    """Scores the eval split with the ONNX graph and with Spark ML; fails the run in one
    line if a label differs or a probability differs by more than 1e-3."""
    expected = score_frame(eval_split, transformers, model).toPandas()
    classes = classes_of(model)
    probabilities = expected[[PROBABILITY_PREFIX + c for c in classes]].to_numpy()
    labels = expected[PREDICTION].tolist()
    return check_parity(
        model_onnx, expected, labels, probabilities, classes, reference=SPARK
    )


def evaluate_model(
    model: Any,
    eval_features: DataFrame,
    test_features: DataFrame,
    onnx_parity: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Accuracy, macro F1, a per-class report and the confusion matrix of each split, and
    how closely the served ONNX graph follows the model (largest probability difference)."""
    metrics = {
        "model_class": model_class(model.stages[0]),
        "eval": split_metrics(model, eval_features),
        "test": split_metrics(model, test_features),
    }
    if onnx_parity is not None:
        metrics["onnx_parity"] = onnx_parity
    return metrics


def split_metrics(model: Any, features: DataFrame) -> dict[str, Any]:
    """Metrics of one split from its (true, predicted, count) triples: a few rows at most."""
    return _counted_metrics(model.transform(features), classes_of(model))


def _counted_metrics(scored: DataFrame, labels: list[str]) -> dict[str, Any]:
    codes = {label: i for i, label in enumerate(labels)}
    pairs = scored.groupBy(TARGET, PREDICTION).count().collect()
    truth = [codes.get(row[TARGET], -1) for row in pairs]
    if -1 in truth:
        unknown = sorted({row[TARGET] for row in pairs if row[TARGET] not in codes})
        raise ValueError(
            f"species {unknown} are not among the model's classes {labels}: "
            "retrain on data that has them (stage 03)"
        )
    predicted = [codes[row[PREDICTION]] for row in pairs]
    return classification_metrics(
        truth, predicted, labels, weights=[row["count"] for row in pairs]
    )


def compare_with_promoted(
    model_versions: ModelVersions,
    transformers: Any,
    model: Any,
    eval_split: DataFrame,
    promotion: dict[str, Any],
) -> Comparison:
    """This model and the newest promoted version, scored alike on this run's eval split
    (raw rows through each one's own transformers), if `no_worse_than_promoted` asks."""

    def score(transformers: Any, model: Any) -> dict[str, Any]:
        scored = score_frame(eval_split, transformers, model)
        return _counted_metrics(scored, classes_of(model))

    return model_versions.compare(promotion, score, transformers, model)
