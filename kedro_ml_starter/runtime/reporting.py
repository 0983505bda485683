"""Reports shared by every engine and both tasks: what was trained, its metrics, a figure.

The engines differ in how they get true and predicted values (a frame in memory, or
counts aggregated by Spark); from there scikit-learn computes the metrics and matplotlib
draws the figure, so `metrics.json` and `model_metadata.json` have one format whatever
the engine. The metric names are what promotion criteria name (metrics.json's `eval` and
`test` sections):

- classification: `accuracy`, `f1_macro` (and `per_class`, `confusion_matrix`); binary
  classification adds `roc_auc`, `precision` and `recall` of the positive class;
- regression: `rmse`, `mae`, `r2`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

ERROR_METRICS = frozenset({"rmse", "mae"})  # lower is better; every other metric: higher
PRIMARY_METRICS = {"classification": "f1_macro", "regression": "rmse"}


def model_class(model: Any) -> str:
    """The model's importable class name, e.g. `sklearn.linear_model.LogisticRegression`."""
    return f"{type(model).__module__}.{type(model).__qualname__}"


def model_metadata(model: Any, parameters: Mapping[str, Any], features: Sequence[Any],
                   rows: int, *, task: str, classes: Sequence[Any] = (),
                   **more: Any) -> dict[str, Any]:
    """What stage 03 trained, saved next to the model as `model_metadata.json`."""
    return {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model_class": model_class(model),
        "task": task,
        "parameters": dict(parameters),
        "feature_names": [str(name) for name in features],
        "classes": [str(label) for label in classes],
        "train_rows": int(rows),
        **more,
    }


def classification_metrics(truth: Any, predicted: Any, labels: Sequence[str], *,
                           probabilities: Any = None, positive: str | None = None,
                           weights: Any = None) -> dict[str, Any]:
    """Accuracy, macro F1, a per-class report and the confusion matrix, JSON-ready; with
    `positive` (binary classification) also its precision and recall, and ROC AUC when
    `probabilities` ([rows, labels]) are given.

    `truth` and `predicted` are integer codes (indexes into `labels`), which keeps
    scikit-learn fast on millions of rows; `weights` counts how many rows each pair
    stands for when the labels come pre-aggregated.
    """
    # scikit-learn's metrics load when a stage computes them, not when Kedro imports it
    from sklearn.metrics import accuracy_score, classification_report, confusion_matrix

    codes = list(range(len(labels)))
    scores = {"labels": codes, "sample_weight": weights}
    report = classification_report(truth, predicted, **scores, target_names=list(labels),
                                   output_dict=True, zero_division=0)
    counts = confusion_matrix(truth, predicted, **scores)
    metrics: dict[str, Any] = {
        "rows": int(np.sum(weights)) if weights is not None else len(truth),
        "accuracy": float(accuracy_score(truth, predicted, sample_weight=weights)),
        "f1_macro": float(report["macro avg"]["f1-score"]),
    }
    if positive is not None:
        metrics.update(_binary(truth, labels.index(positive), report[positive], probabilities,
                               weights))
    metrics["per_class"] = {label: {k: float(v) for k, v in report[label].items()}
                            for label in labels}
    metrics["confusion_matrix"] = {"labels": list(labels),
                                   "counts": counts.astype(int).tolist()}
    return metrics


def _binary(truth: Any, positive: int, report: Mapping[str, float], probabilities: Any,
            weights: Any) -> dict[str, float | None]:
    # scikit-learn's metrics load when a stage computes them, not when Kedro imports it
    from sklearn.metrics import roc_auc_score

    out: dict[str, float | None] = {"precision": float(report["precision"]),
                                    "recall": float(report["recall"])}
    if probabilities is not None:
        is_positive = np.asarray(truth) == positive
        # Undefined when a split holds one class only: null, not a crash.
        both = 0 < is_positive.sum() < len(is_positive)
        out["roc_auc"] = float(roc_auc_score(is_positive, np.asarray(probabilities)[:, positive],
                                             sample_weight=weights)) if both else None
    return out


def regression_metrics(truth: Any, predicted: Any) -> dict[str, Any]:
    """RMSE, MAE and R², JSON-ready (R² is null for fewer than two rows)."""
    # scikit-learn's metrics load when a stage computes them, not when Kedro imports it
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

    truth = np.asarray(truth, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    return {
        "rows": int(truth.size),
        "rmse": float(np.sqrt(mean_squared_error(truth, predicted))),
        "mae": float(mean_absolute_error(truth, predicted)),
        "r2": float(r2_score(truth, predicted)) if truth.size > 1 else None,
    }


def evaluation_figure(metrics: Mapping[str, Any],
                      predictions: Mapping[str, tuple[Any, Any]] | None = None,
                      target: str = "target") -> Any:
    """The figure of stage 04: a confusion matrix per split (classification, from
    `metrics`), or predicted against actual and the residuals per split (regression, from
    `predictions`: split -> (actual, predicted))."""
    if metrics.get("task") == "regression":
        return _regression_figure(metrics, predictions or {}, target)
    return _confusion_figure(metrics, target)


def _figure(size: tuple[float, float]) -> Any:
    # matplotlib loads when a figure is drawn, not when Kedro imports the stages
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _confusion_figure(metrics: Mapping[str, Any], target: str) -> Any:
    """One panel per split: rows are true classes, columns predicted, cells counts."""
    # scikit-learn's metrics load when a stage computes them, not when Kedro imports it
    from sklearn.metrics import ConfusionMatrixDisplay

    figure = _figure((10, 4.5))
    for axes, name in zip(figure.subplots(1, 2), ("eval", "test")):
        split, matrix = metrics[name], metrics[name]["confusion_matrix"]
        display = ConfusionMatrixDisplay(np.asarray(matrix["counts"]),
                                         display_labels=matrix["labels"])
        display.plot(ax=axes, cmap="Blues", colorbar=False)
        title = f"{name}: accuracy {split['accuracy']:.3f}, {split['rows']} rows"
        axes.set(xlabel=f"predicted {target}", ylabel=f"true {target}", title=title)
    figure.suptitle(f"Confusion matrices — {_short(metrics)}")
    return figure


def _regression_figure(metrics: Mapping[str, Any],
                       predictions: Mapping[str, tuple[Any, Any]], target: str) -> Any:
    """Per split: predicted against actual (the diagonal is a perfect model), and the
    residuals against the prediction (a pattern there is something the model missed)."""
    figure = _figure((10, 8))
    grid = figure.subplots(2, 2)
    for column, name in enumerate(("eval", "test")):
        actual, predicted = (np.asarray(v, dtype=np.float64) for v in predictions[name])
        split = metrics[name]
        scatter, residuals = grid[0][column], grid[1][column]
        scatter.scatter(actual, predicted, s=12, alpha=0.6)
        low, high = _span(actual, predicted)
        scatter.plot([low, high], [low, high], color="grey", linewidth=1)
        scatter.set(xlabel=f"actual {target}", ylabel=f"predicted {target}",
                    title=f"{name}: RMSE {split['rmse']:.4g}, R² {_r2(split)}, "
                          f"{split['rows']} rows")
        residuals.scatter(predicted, actual - predicted, s=12, alpha=0.6)
        residuals.axhline(0, color="grey", linewidth=1)
        residuals.set(xlabel=f"predicted {target}", ylabel="actual − predicted",
                      title=f"{name}: residuals (MAE {split['mae']:.4g})")
    figure.suptitle(f"Predicted against actual — {_short(metrics)}")
    return figure


def _span(*values: Any) -> tuple[float, float]:
    joined = np.concatenate([np.asarray(v, dtype=np.float64) for v in values])
    return (float(joined.min()), float(joined.max())) if joined.size else (0.0, 1.0)


def _r2(split: Mapping[str, Any]) -> str:
    return "n/a" if split.get("r2") is None else f"{split['r2']:.3f}"


def _short(metrics: Mapping[str, Any]) -> str:
    return str(metrics.get("model_class", "model")).rsplit(".", 1)[-1]
