"""Reports shared by every engine: what was trained, its metrics, and their figure.

The engines differ in how they get true and predicted labels (a frame in memory, or
counts aggregated by Spark); from there scikit-learn computes the metrics and draws the
figure, so `metrics.json` and `model_metadata.json` have one format whatever the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    accuracy_score,
    classification_report,
    confusion_matrix,
)


def model_class(model: Any) -> str:
    """The model's importable class name, e.g. `sklearn.linear_model.LogisticRegression`."""
    return f"{type(model).__module__}.{type(model).__qualname__}"


def model_metadata(
    model: Any,
    parameters: dict,
    features: Sequence,
    classes: Sequence,
    rows: int,
    **more,
) -> dict[str, Any]:
    """What stage 03 trained, saved next to the model as `model_metadata.json`."""
    return {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model_class": model_class(model),
        "parameters": dict(parameters),
        "feature_names": [str(name) for name in features],
        "classes": [str(label) for label in classes],
        "train_rows": int(rows),
        **more,
    }


def classification_metrics(
    truth: Any, predicted: Any, labels: Sequence[str], weights: Any = None
) -> dict[str, Any]:
    """Accuracy, macro F1, a per-class report and the confusion matrix, JSON-ready.

    `truth` and `predicted` are integer codes (indexes into `labels`), which keeps
    scikit-learn fast on millions of rows; `weights` counts how many rows each pair
    stands for when the labels come pre-aggregated.
    """
    codes = list(range(len(labels)))
    scores = {"labels": codes, "sample_weight": weights}
    report = classification_report(
        truth,
        predicted,
        **scores,
        target_names=labels,
        output_dict=True,
        zero_division=0,
    )
    counts = confusion_matrix(truth, predicted, **scores)
    return {
        "rows": int(np.sum(weights)) if weights is not None else len(truth),
        "accuracy": float(accuracy_score(truth, predicted, sample_weight=weights)),
        "f1_macro": float(report["macro avg"]["f1-score"]),
        "per_class": {
            label: {k: float(v) for k, v in report[label].items()} for label in labels
        },
        "confusion_matrix": {
            "labels": list(labels),
            "counts": counts.astype(int).tolist(),
        },
    }


def plot_confusion_matrices(metrics: dict[str, Any]) -> Figure:
    """One panel per split: rows are true species, columns predicted, cells counts."""
    figure = Figure(figsize=(10, 4.5), layout="constrained")
    FigureCanvasAgg(figure)
    for axes, name in zip(figure.subplots(1, 2), ("eval", "test")):
        split, matrix = metrics[name], metrics[name]["confusion_matrix"]
        display = ConfusionMatrixDisplay(
            np.asarray(matrix["counts"]), display_labels=matrix["labels"]
        )
        display.plot(ax=axes, cmap="Blues", colorbar=False)
        title = f"{name}: accuracy {split['accuracy']:.3f}, {split['rows']} rows"
        axes.set(xlabel="predicted species", ylabel="true species", title=title)
    figure.suptitle(f"Confusion matrices — {metrics['model_class'].rsplit('.', 1)[-1]}")
    return figure
