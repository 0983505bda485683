"""Evaluation: metrics of the eval and test splits, and a figure drawn from them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from {{ cookiecutter.python_package }}.utils.reporting import (
    classification_metrics,
    model_class,
    plot_confusion_matrices,
)
from {{ cookiecutter.python_package }}.utils.schema import TARGET

__all__ = ["evaluate_model", "plot_confusion_matrices", "split_metrics"]


def evaluate_model(
    model: Any, eval_features: pd.DataFrame, test_features: pd.DataFrame
) -> dict[str, Any]:
    """Accuracy, macro F1, a per-class report and the confusion matrix of each split."""
    return {
        "model_class": model_class(model),
        "eval": split_metrics(model, eval_features),
        "test": split_metrics(model, test_features),
    }


def split_metrics(model: Any, features: pd.DataFrame) -> dict[str, Any]:
    """Metrics of one split, labels compared as integer codes into the model's classes."""
    labels = [str(c) for c in model.classes_]
    truth = pd.Categorical(features[TARGET].astype(str), categories=labels).codes
    predicted = model.predict_proba(features.drop(columns=[TARGET])).argmax(axis=1)
    return classification_metrics(truth, predicted, labels)
