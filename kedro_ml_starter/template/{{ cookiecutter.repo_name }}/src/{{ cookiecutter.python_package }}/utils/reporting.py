"""Evaluation reports shared by every engine: metrics as plain data, and their figure.

The engines differ in how they get true and predicted labels (a frame in memory, or
counts aggregated by Spark); from there the metrics come from scikit-learn and the
figure from matplotlib, so `metrics.json` has one format whatever the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score


def classification_metrics(truth: Any, predicted: Any, labels: Sequence[str],
                           weights: Any = None) -> dict[str, Any]:
    """Accuracy, macro F1, a per-class report and the confusion matrix, JSON-ready.

    `truth` and `predicted` are integer codes (indexes into `labels`), which keeps
    scikit-learn fast on millions of rows; `weights` counts how many rows each pair
    stands for when the labels come pre-aggregated.
    """
    codes = list(range(len(labels)))
    report = classification_report(truth, predicted, labels=codes, target_names=list(labels),
                                   output_dict=True, zero_division=0, sample_weight=weights)
    rows = int(np.sum(weights)) if weights is not None else len(truth)
    return {
        "rows": rows,
        "accuracy": float(accuracy_score(truth, predicted, sample_weight=weights)),
        "macro_f1": float(f1_score(truth, predicted, labels=codes, average="macro",
                                   zero_division=0, sample_weight=weights)),
        "per_class": {label: {k: float(v) for k, v in report[label].items()} for label in labels},
        "confusion_matrix": {
            "labels": list(labels),
            "counts": confusion_matrix(truth, predicted, labels=codes,
                                       sample_weight=weights).astype(int).tolist(),
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
