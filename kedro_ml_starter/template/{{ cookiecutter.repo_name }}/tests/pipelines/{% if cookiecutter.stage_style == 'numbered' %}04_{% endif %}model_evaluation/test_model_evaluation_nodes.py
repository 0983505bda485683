"""Stage 04: metrics are consistent with the data, the figure is a real PNG, and the ONNX
graph the app serves is checked against the model."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from kedro_ml_starter.runtime import OnnxGraph, OnnxParityError

from tests.helpers import contract, parameters, stage_module

nodes = stage_module("evaluation")
CONTRACT = contract()
DATA = parameters("data_contract")


@pytest.fixture(scope="module")
def metrics(fitted) -> dict:
    return nodes.evaluate_model(fitted["model"], fitted["eval"], fitted["test"], DATA)


def _name(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def test_metrics_cover_eval_and_test(engine, metrics, fitted):
    expected = engine.model_name(engine.training["estimator"]["type"])
    assert _name(metrics["model_class"]) == expected
    assert (metrics["task"], metrics["target"]) == (CONTRACT.task, CONTRACT.target)
    for split in ("eval", "test"):
        result = metrics[split]
        assert result["rows"] == len(engine.matrix(fitted[split]))
        truth, predicted = engine.predictions(fitted["model"], fitted[split])
        if CONTRACT.classification:
            counts = result["confusion_matrix"]["counts"]
            assert sum(map(sum, counts)) == result["rows"]
            diagonal = sum(counts[i][i] for i in range(len(counts)))
            assert diagonal / result["rows"] == pytest.approx(result["accuracy"])
            right = (truth.astype(str).to_numpy() == predicted.astype(str)).mean()
            assert result["accuracy"] == pytest.approx(right)
            assert 0 <= result["f1_macro"] <= 1
            assert set(result["per_class"]) == set(CONTRACT.classes)
            binary = {"roc_auc", "precision", "recall"}
            assert (binary <= set(result)) == CONTRACT.binary
        else:
            errors = truth.astype(float).to_numpy() - predicted
            assert result["rmse"] == pytest.approx(math.sqrt(np.mean(errors**2)))
            assert result["mae"] == pytest.approx(np.abs(errors).mean())
            assert 0 <= result["mae"] <= result["rmse"] and result["r2"] <= 1


def test_the_figure_is_a_png_with_a_panel_per_split_and_view(metrics, fitted):
    figure = nodes.plot_evaluation(
        metrics, fitted["model"], fitted["eval"], fitted["test"], DATA
    )
    assert len(figure.axes) == (2 if CONTRACT.classification else 4)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.fixture(scope="module")
def graph(fitted) -> OnnxGraph:
    return stage_module("training").export_onnx(
        fitted["transformers"],
        fitted["model"],
        fitted["metadata"],
        DATA,
        {"runtime": "onnx"},
    )


def _with_missing_values(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows, then copies of them with each nullable feature missing in turn."""
    copies = [rows]
    for column in CONTRACT.features:
        if column.nullable:
            copy = rows.head(5).copy()
            copy[column.name] = None
            copies.append(copy)
    return pd.concat(copies, ignore_index=True)


def test_the_graph_scores_like_the_model_missing_values_included(
    engine, fitted, splits, graph
):
    table = _with_missing_values(engine.table(engine.union(splits)))
    rows = stage_module("preprocessing").validate_raw_data(engine.frame(table), DATA)
    parity = nodes.check_onnx_parity(
        graph, fitted["transformers"], fitted["model"], rows, DATA
    )
    assert parity["checked"]
    assert parity["rows"] == len(table)
    if CONTRACT.classification:
        assert parity["labels_differing"] == 0
        assert parity["max_probability_difference"] < 1e-5
    else:
        assert parity["max_relative_difference"] < 1e-5


def test_a_graph_of_another_model_fails_the_run_in_one_line(engine, fitted, splits):
    training = stage_module("training")
    shuffled = engine.shuffled(fitted["train"])
    model, metadata = training.train_model(shuffled, DATA, engine.training)
    other = training.export_onnx(
        fitted["transformers"], model, metadata, DATA, {"runtime": "onnx"}
    )
    with pytest.raises(OnnxParityError, match=r"^the ONNX graph") as raised:
        nodes.check_onnx_parity(
            other, fitted["transformers"], fitted["model"], splits[1], DATA
        )
    assert engine.library in str(raised.value) and "\n" not in str(raised.value)


def test_metrics_record_the_parity_check(fitted, splits, graph):
    parity = nodes.check_onnx_parity(
        graph, fitted["transformers"], fitted["model"], splits[1], DATA
    )
    metrics = nodes.evaluate_model(
        fitted["model"], fitted["eval"], fitted["test"], DATA, parity
    )
    assert metrics["onnx_parity"] == parity
