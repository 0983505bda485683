"""Stage 04: metrics are consistent with the data, the plot is a real PNG, and the ONNX
graph the app serves is checked against the model."""

from __future__ import annotations

import io

import onnx
import pytest
from kedro_ml_starter.runtime.datasets import OnnxGraph
from kedro_ml_starter.runtime.onnx_export import OnnxParityError
from kedro_ml_starter.runtime.promotion import Comparison

from {{ cookiecutter.python_package }}.utils.schema import (
    SPECIES,
)

from tests.helpers import LOST, PROMOTED, model_versions, stage_module

nodes = stage_module("evaluation")


@pytest.fixture
def metrics(fitted) -> dict:
    return nodes.evaluate_model(fitted["model"], fitted["eval"], fitted["test"])


def test_metrics_cover_eval_and_test(engine, metrics, fitted):
    assert "LogisticRegression" in metrics["model_class"]
    for split in ("eval", "test"):
        result = metrics[split]
        assert result["rows"] == len(engine.matrix(fitted[split]))
        assert 0.9 < result["accuracy"] <= 1
        assert 0 < result["f1_macro"] <= 1
        counts = result["confusion_matrix"]["counts"]
        assert sum(map(sum, counts)) == result["rows"]
        diagonal = sum(counts[i][i] for i in range(len(counts)))
        assert diagonal / result["rows"] == pytest.approx(result["accuracy"])
        assert set(result["per_class"]) == set(SPECIES)


def test_confusion_matrix_plot_is_a_png_with_two_panels(metrics):
    figure = nodes.plot_confusion_matrices(metrics)
    assert len(figure.axes) == 2
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.fixture
def graph(fitted) -> OnnxGraph:
    return stage_module("training").export_onnx(
        fitted["transformers"], fitted["model"], fitted["metadata"], {"runtime": "onnx"}
    )


def _with_coefficients(graph: OnnxGraph, change) -> OnnxGraph:
    """The graph with its classifier's coefficients changed: not the model it came from."""
    model = onnx.load_from_string(graph.content)
    node = next(n for n in model.graph.node if n.op_type == "LinearClassifier")
    coefficients = next(a for a in node.attribute if a.name == "coefficients")
    coefficients.floats[:] = [change(c) for c in coefficients.floats]
    return OnnxGraph(model.SerializeToString())


def test_the_graph_scores_like_the_model_missing_values_included(
    engine, fitted, splits, graph
):
    rows = engine.union(splits)  # every clean row, as stage 04 reads a split
    table = engine.table(rows)
    assert table["sex"].isna().sum() >= 5
    parity = nodes.check_onnx_parity(
        graph, fitted["transformers"], fitted["model"], rows
    )
    assert parity["checked"]
    assert parity["rows"] == len(table)
    assert parity["labels_differing"] == 0
    assert parity["max_probability_difference"] < 1e-5


def test_a_graph_that_disagrees_fails_the_run_in_one_line(
    engine, fitted, splits, graph
):
    corrupted = _with_coefficients(graph, lambda c: -c)
    expected = rf"^the ONNX graph disagrees with {engine.library} on \d+ of \d+ rows"
    with pytest.raises(OnnxParityError, match=expected):
        nodes.check_onnx_parity(
            corrupted, fitted["transformers"], fitted["model"], splits[1]
        )


def test_a_graph_whose_probabilities_drift_fails_the_run(fitted, splits, graph):
    drifted = _with_coefficients(graph, lambda c: c * 1.02)
    with pytest.raises(OnnxParityError, match=r"^the ONNX graph"):
        nodes.check_onnx_parity(
            drifted, fitted["transformers"], fitted["model"], splits[1]
        )


def test_metrics_record_the_largest_difference(fitted, splits, graph):
    parity = nodes.check_onnx_parity(
        graph, fitted["transformers"], fitted["model"], splits[1]
    )
    metrics = nodes.evaluate_model(
        fitted["model"], fitted["eval"], fitted["test"], parity
    )
    largest = metrics["onnx_parity"]["max_probability_difference"]
    assert largest == parity["max_probability_difference"]


PROMOTION = {
    "criteria": {"accuracy": 0.9, "f1_macro": 0.85},
    "primary_metric": "f1_macro",
    "no_worse_than_promoted": True,
}


def test_the_verdict_judges_the_newest_version_from_its_eval_metrics(metrics):
    [judge] = [
        node.func
        for node in stage_module("evaluation", "pipeline").create_pipeline().nodes
        if node.name == "judge_model"
    ]
    versions = model_versions({"model": None, "transformers": None})
    verdict = judge(versions, metrics["eval"], Comparison(), PROMOTION)
    assert verdict.model_version == LOST  # the newest version: the one evaluated
    assert verdict.promoted
    assert verdict.reason.startswith(
        f"accuracy {metrics['eval']['accuracy']:.6g} >= 0.9"
    )

    impossible = {**PROMOTION, "criteria": {"accuracy": 1.01}}
    lost = judge(versions, metrics["eval"], Comparison(), impossible)
    assert not lost.promoted and "is below its minimum 1.01" in lost.reason


def test_the_candidate_is_compared_with_the_promoted_version_on_the_same_rows(
    fitted, splits
):
    versions = model_versions(fitted)  # PROMOTED holds the same model
    comparison = nodes.compare_with_promoted(
        versions, fitted["transformers"], fitted["model"], splits[1], PROMOTION
    )
    assert comparison.promoted_version == PROMOTED
    assert comparison.candidate == comparison.promoted  # the same model, the same rows
    assert 0.9 < comparison.candidate["f1_macro"] <= 1
    off = {**PROMOTION, "no_worse_than_promoted": False}
    assert (
        nodes.compare_with_promoted(
            versions, fitted["transformers"], fitted["model"], splits[1], off
        )
        == Comparison()
    )
