"""Stage 04: metrics are consistent with the data, the plot is a real PNG, and the ONNX
graph the app serves is checked against the model."""

from __future__ import annotations

import io

import onnx
import pytest
import yaml
from kedro_ml_starter.runtime.datasets import OnnxGraph
from kedro_ml_starter.runtime.onnx_export import OnnxParityError
from kedro_ml_starter.runtime.promotion import Comparison

from {{ cookiecutter.python_package }}.utils.schema import (
    SPECIES,
)

from tests.helpers import (
    LOST,
    PROJECT_ROOT,
    PROMOTED,
    model_versions,
    stage_module,
)

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


# The shipped promotion settings (beat the naive baseline, no worse than the promoted).
PROMOTION = yaml.safe_load(
    (PROJECT_ROOT / "conf" / "base" / "parameters_model_evaluation.yml").read_text()
)["model_evaluation"]["promotion"]


def test_the_naive_baseline_predicts_the_train_splits_class_shares(fitted):
    naive = nodes.fit_naive_model(fitted["train"])
    metrics = nodes.split_metrics(naive, fitted["eval"])
    largest = fitted["train"]["species"].value_counts(normalize=True).max()
    assert metrics["accuracy"] <= largest + 0.1  # one class for every row
    assert metrics["f1_macro"] < 0.35


def test_a_version_that_beats_the_naive_baseline_is_promoted_one_that_cannot_is_not(
    fitted, splits, metrics
):
    [judge] = [
        node.func
        for node in stage_module("evaluation", "pipeline").create_pipeline().nodes
        if node.name == "judge_model"
    ]
    versions = model_versions(fitted)  # PROMOTED holds the same model as the candidate
    naive = nodes.split_metrics(nodes.fit_naive_model(fitted["train"]), fitted["eval"])
    comparison = nodes.compare_with_promoted(
        versions, fitted["transformers"], fitted["model"], splits[1], PROMOTION
    )
    verdict = judge(versions, metrics["eval"], naive, comparison, PROMOTION)

    assert verdict.model_version == LOST  # the newest version: the one evaluated
    assert comparison.promoted_version == PROMOTED
    assert comparison.candidate["f1_macro"] == metrics["eval"]["f1_macro"]  # same rows
    assert comparison.candidate == comparison.promoted  # the same model
    assert verdict.promoted
    assert verdict.reason.startswith(
        f"f1_macro {metrics['eval']['f1_macro']:.6g} beats {naive['f1_macro']:.6g} "
        "of the naive baseline; "
    )
    impossible = {**PROMOTION, "criteria": {"accuracy": 1.01}}
    lost = judge(versions, metrics["eval"], naive, comparison, impossible)
    assert not lost.promoted and lost.reason.endswith("is below its minimum 1.01")


def test_nothing_is_scored_again_when_the_comparisons_are_off(fitted, splits):
    off = {**PROMOTION, "no_worse_than_promoted": False}
    comparison = nodes.compare_with_promoted(
        model_versions(fitted), None, None, splits[1], off
    )
    assert comparison == Comparison()
