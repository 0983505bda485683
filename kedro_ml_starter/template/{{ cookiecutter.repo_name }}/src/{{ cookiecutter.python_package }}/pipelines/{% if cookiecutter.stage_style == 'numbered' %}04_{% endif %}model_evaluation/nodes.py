"""Evaluation: metrics of the eval and test splits, a figure drawn from those metrics, the
check that the ONNX graph the app serves scores like the model, and the verdict on it:
promoted (served) or not, from the eval split only."""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro_ml_starter.runtime.datasets import OnnxGraph
from kedro_ml_starter.runtime.model_versions import ModelVersions
from kedro_ml_starter.runtime.onnx_export import check_parity
from kedro_ml_starter.runtime.promotion import Comparison, naive_model

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
    predict_frame,
)

__all__ = [
    "check_onnx_parity",
    "compare_with_promoted",
    "evaluate_model",
    "fit_naive_model",
    "plot_confusion_matrices",
    "split_metrics",
]


def check_onnx_parity(
    model_onnx: OnnxGraph, transformers: Any, model: Any, eval_split: pd.DataFrame
) -> dict[str, Any]:
    """Scores the eval split with the ONNX graph and with scikit-learn; fails the run in one
    line if a label differs or a probability differs by more than 1e-3."""
    expected = predict_frame(eval_split, transformers, model)
    classes = classes_of(model)
    probabilities = expected[[PROBABILITY_PREFIX + c for c in classes]].to_numpy()
    labels = expected[PREDICTION].astype(str).tolist()
    return check_parity(model_onnx, eval_split, labels, probabilities, classes)


def evaluate_model(
    model: Any,
    eval_features: pd.DataFrame,
    test_features: pd.DataFrame,
    onnx_parity: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Accuracy, macro F1, a per-class report and the confusion matrix of each split, and
    how closely the served ONNX graph follows the model (largest probability difference)."""
    metrics = {
        "model_class": model_class(model),
        "eval": split_metrics(model, eval_features),
        "test": split_metrics(model, test_features),
    }
    if onnx_parity is not None:
        metrics["onnx_parity"] = onnx_parity
    return metrics


def split_metrics(model: Any, features: pd.DataFrame) -> dict[str, Any]:
    """Metrics of one split, labels compared as integer codes into the model's classes."""
    labels = [str(c) for c in model.classes_]
    truth = pd.Categorical(features[TARGET].astype(str), categories=labels).codes
    predicted = model.predict_proba(features.drop(columns=[TARGET])).argmax(axis=1)
    return classification_metrics(truth, predicted, labels)


def fit_naive_model(train_features: pd.DataFrame) -> Any:
    """The naive baseline: it ignores the features and predicts the train split's class
    shares. A model worth serving beats it on the eval split (`promotion`)."""
    features = train_features.drop(columns=[TARGET])
    return naive_model(features, train_features[TARGET], classification=True)


def compare_with_promoted(
    model_versions: ModelVersions,
    transformers: Any,
    model: Any,
    eval_split: pd.DataFrame,
    promotion: dict[str, Any],
) -> Comparison:
    """This model and the newest promoted version, scored alike on this run's eval split
    (raw rows through each one's own transformers), if `no_worse_than_promoted` asks."""

    def score(transformers: Any, model: Any) -> dict[str, Any]:
        predicted = predict_frame(eval_split, transformers, model)[PREDICTION]
        labels = classes_of(model)
        truth, predicted = (
            pd.Categorical(column.astype(str), categories=labels).codes
            for column in (eval_split[TARGET], predicted)
        )
        return classification_metrics(truth, predicted, labels)

    return model_versions.compare(promotion, score, transformers, model)
