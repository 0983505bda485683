"""Evaluation: metrics as plain data, and a figure drawn from those metrics."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score

from {{ cookiecutter.python_package }}.utils.schema import TARGET


def evaluate_model(
    model: Any, eval_features: pd.DataFrame, test_features: pd.DataFrame
) -> dict[str, Any]:
    """Accuracy, macro F1, a per-class report and the confusion matrix of each split."""
    return {
        "model_class": f"{type(model).__module__}.{type(model).__qualname__}",
        "eval": split_metrics(model, eval_features),
        "test": split_metrics(model, test_features),
    }


def split_metrics(model: Any, features: pd.DataFrame) -> dict[str, Any]:
    """Metrics of one split, as JSON-ready plain values.

    Labels are compared as integer codes (index into the model's classes), which keeps
    scikit-learn's metrics fast on hundreds of thousands of rows.
    """
    labels = [str(c) for c in model.classes_]
    truth = pd.Categorical(features[TARGET].astype(str), categories=labels).codes
    predicted = model.predict_proba(features.drop(columns=[TARGET])).argmax(axis=1)
    codes = list(range(len(labels)))
    report = classification_report(
        truth, predicted, labels=codes, target_names=labels, output_dict=True, zero_division=0
    )
    return {
        "rows": len(truth),
        "accuracy": float(accuracy_score(truth, predicted)),
        "macro_f1": float(f1_score(truth, predicted, labels=codes, average="macro",
                                   zero_division=0)),
        "per_class": {label: {k: float(v) for k, v in report[label].items()} for label in labels},
        "confusion_matrix": {
            "labels": labels,
            "counts": confusion_matrix(truth, predicted, labels=codes).tolist(),
        },
    }


def plot_confusion_matrices(metrics: dict[str, Any]) -> Figure:
    """One panel per split: rows are true species, columns predicted, cells counts."""
    figure = Figure(figsize=(10, 4.5), layout="constrained")
    FigureCanvasAgg(figure)
    for axes, split in zip(figure.subplots(1, 2), ("eval", "test")):
        _draw_matrix(axes, metrics[split], split)
    figure.suptitle(f"Confusion matrices — {metrics['model_class'].rsplit('.', 1)[-1]}")
    return figure


def _draw_matrix(axes: Any, split: dict[str, Any], name: str) -> None:
    labels = split["confusion_matrix"]["labels"]
    counts = np.asarray(split["confusion_matrix"]["counts"])
    axes.imshow(counts, cmap="Blues")
    ticks = range(len(labels))
    axes.set_xticks(ticks, labels)
    axes.set_yticks(ticks, labels)
    axes.set_xlabel("predicted species")
    axes.set_ylabel("true species")
    axes.set_title(f"{name}: accuracy {split['accuracy']:.3f}, {split['rows']} rows")
    threshold = counts.max() / 2 if counts.size else 0
    for (row, column), count in np.ndenumerate(counts):
        colour = "white" if count > threshold else "black"
        axes.text(column, row, str(count), ha="center", va="center", color=colour)
