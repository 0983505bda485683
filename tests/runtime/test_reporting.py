"""Metrics and figures of both tasks: the names promotion criteria use, binary metrics of
the positive class, and a PNG a person can look at."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest

from kedro_ml_starter.runtime import (
    classification_metrics,
    evaluation_figure,
    regression_metrics,
)


def test_multiclass_metrics_have_accuracy_macro_f1_and_the_confusion_matrix():
    metrics = classification_metrics([0, 1, 2, 2], [0, 2, 2, 2], ["a", "b", "c"])
    assert metrics["rows"] == 4 and metrics["accuracy"] == 0.75
    assert metrics["f1_macro"] == pytest.approx((1 + 0 + 0.8) / 3)
    assert metrics["confusion_matrix"] == {"labels": ["a", "b", "c"],
                                           "counts": [[1, 0, 0], [0, 0, 1], [0, 0, 2]]}
    assert not {"roc_auc", "precision", "recall"} & set(metrics)


def test_binary_metrics_are_about_the_positive_class():
    truth, predicted = [0, 0, 1, 1, 1], [0, 1, 1, 1, 0]
    probabilities = np.array([[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4]])
    metrics = classification_metrics(truth, predicted, ["no", "yes"],
                                     probabilities=probabilities, positive="yes")
    assert metrics["precision"] == pytest.approx(2 / 3)
    assert metrics["recall"] == pytest.approx(2 / 3)
    assert metrics["roc_auc"] == pytest.approx(5 / 6)
    flipped = classification_metrics(truth, predicted, ["no", "yes"],
                                     probabilities=probabilities, positive="no")
    assert flipped["recall"] == pytest.approx(1 / 2)
    one_class = classification_metrics([1, 1], [1, 0], ["no", "yes"],
                                       probabilities=probabilities[:2], positive="yes")
    assert one_class["roc_auc"] is None  # undefined with one class: said, not a crash


def test_regression_metrics_are_rmse_mae_and_r2():
    metrics = regression_metrics([1.0, 2.0, 3.0, 4.0], [1.5, 2.0, 2.0, 4.5])
    assert metrics["rows"] == 4
    assert metrics["rmse"] == pytest.approx(math.sqrt((0.25 + 0 + 1 + 0.25) / 4))
    assert metrics["mae"] == pytest.approx(0.5)
    assert metrics["r2"] == pytest.approx(1 - 1.5 / 5)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_the_figure_follows_the_task():
    split = classification_metrics([0, 1], [0, 1], ["a", "b"])
    confusion = evaluation_figure({"task": "classification", "eval": split, "test": split,
                                   "model_class": "x.Model"}, target="kind")
    assert len(confusion.axes) == 2 and confusion.axes[0].get_xlabel() == "predicted kind"
    actual, predicted = np.arange(20.0), np.arange(20.0) + 0.5
    numbers = regression_metrics(actual, predicted)
    scatter = evaluation_figure({"task": "regression", "eval": numbers, "test": numbers},
                                {"eval": (actual, predicted), "test": (actual, predicted)},
                                target="mass")
    assert len(scatter.axes) == 4
    assert scatter.axes[0].get_xlabel() == "actual mass"
    assert scatter.axes[2].get_ylabel() == "actual − predicted"
    for figure in (confusion, scatter):
        assert _png(figure).startswith(b"\x89PNG\r\n\x1a\n")
