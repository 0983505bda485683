"""Stage 04: metrics are consistent with the data, and the plot is a real PNG."""

from __future__ import annotations

import io

import onnx
import pandas as pd
import pytest
from kedro_ml_starter.runtime.datasets import OnnxGraph
from kedro_ml_starter.runtime.onnx_export import OnnxParityError

from tests.helpers import stage_module

nodes = stage_module("evaluation")


@pytest.fixture
def graph(fitted) -> OnnxGraph:
    return stage_module("training").export_onnx(
        fitted["transformers"], fitted["model"], fitted["metadata"], {"runtime": "onnx"})


def _with_coefficients(graph: OnnxGraph, change) -> OnnxGraph:
    """The graph with its classifier's coefficients changed: a model it was not exported from."""
    model = onnx.load_from_string(graph.content)
    node = next(n for n in model.graph.node if n.op_type == "LinearClassifier")
    coefficients = next(a for a in node.attribute if a.name == "coefficients")
    coefficients.floats[:] = [change(c) for c in coefficients.floats]
    return OnnxGraph(model.SerializeToString())


def test_the_graph_scores_like_the_model_missing_values_included(fitted, splits, graph):
    rows = pd.concat(splits)  # every clean row, as stage 04 reads a split
    assert rows["sex"].isna().sum() >= 5
    parity = nodes.check_onnx_parity(graph, fitted["transformers"], fitted["model"], rows)
    assert parity["checked"] and parity["rows"] == len(rows)
    assert parity["labels_differing"] == 0
    assert parity["max_probability_difference"] < 1e-5


def test_a_graph_that_disagrees_fails_the_run_in_one_line(fitted, splits, graph):
    corrupted = _with_coefficients(graph, lambda c: -c)
    with pytest.raises(OnnxParityError, match=r"^the ONNX graph disagrees with scikit-learn "
                                              r"on \d+ of \d+ rows"):
        nodes.check_onnx_parity(corrupted, fitted["transformers"], fitted["model"], splits[1])


def test_a_graph_whose_probabilities_drift_fails_the_run(fitted, splits, graph):
    drifted = _with_coefficients(graph, lambda c: c * 1.02)
    with pytest.raises(OnnxParityError, match=r"^the ONNX graph"):
        nodes.check_onnx_parity(drifted, fitted["transformers"], fitted["model"], splits[1])


def test_metrics_record_the_largest_difference(fitted, splits, graph):
    parity = nodes.check_onnx_parity(graph, fitted["transformers"], fitted["model"], splits[1])
    metrics = nodes.evaluate_model(fitted["model"], fitted["eval"], fitted["test"], parity)
    assert metrics["onnx_parity"]["max_probability_difference"] == (
        parity["max_probability_difference"])


def test_metrics_cover_eval_and_test(fitted):
    metrics = nodes.evaluate_model(fitted["model"], fitted["eval"], fitted["test"])
    for split in ("eval", "test"):
        result = metrics[split]
        assert result["rows"] == len(fitted[split])
        assert 0.9 < result["accuracy"] <= 1
        assert 0 < result["macro_f1"] <= 1
        counts = result["confusion_matrix"]["counts"]
        assert sum(map(sum, counts)) == result["rows"]
        diagonal = sum(counts[i][i] for i in range(len(counts)))
        assert diagonal / result["rows"] == result["accuracy"]
        assert set(result["per_class"]) == {"Adelie", "Chinstrap", "Gentoo"}


def test_confusion_matrix_plot_is_a_png_with_two_panels(fitted):
    metrics = nodes.evaluate_model(fitted["model"], fitted["eval"], fitted["test"])
    figure = nodes.plot_confusion_matrices(metrics)
    assert len(figure.axes) == 2
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG\r\n\x1a\n")
