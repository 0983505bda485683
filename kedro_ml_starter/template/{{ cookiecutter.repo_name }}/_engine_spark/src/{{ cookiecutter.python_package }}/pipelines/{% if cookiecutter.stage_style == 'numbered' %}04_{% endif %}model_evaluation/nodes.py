"""Evaluation on Spark: each split is scored and reduced to counts by Spark; the metrics
and the figure come from those counts (the same report as the pandas engine's)."""

from __future__ import annotations

from typing import Any

from pyspark.sql import DataFrame

from {{ cookiecutter.python_package }}.utils.reporting import (
    classification_metrics,
    model_class,
    plot_confusion_matrices,
)
from {{ cookiecutter.python_package }}.utils.schema import TARGET
from {{ cookiecutter.python_package }}.utils.scoring import (
    PREDICTION,
    classes_of,
)

__all__ = ["evaluate_model", "plot_confusion_matrices", "split_metrics"]


def evaluate_model(
    model: Any, eval_features: DataFrame, test_features: DataFrame
) -> dict[str, Any]:
    """Accuracy, macro F1, a per-class report and the confusion matrix of each split."""
    return {
        "model_class": model_class(model.stages[0]),
        "eval": split_metrics(model, eval_features),
        "test": split_metrics(model, test_features),
    }


def split_metrics(model: Any, features: DataFrame) -> dict[str, Any]:
    """Metrics of one split from its (true, predicted, count) triples: a few rows at most."""
    labels = classes_of(model)
    codes = {label: i for i, label in enumerate(labels)}
    pairs = model.transform(features).groupBy(TARGET, PREDICTION).count().collect()
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
