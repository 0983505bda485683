"""Stage 04: metrics are consistent with the data, the figure is a real PNG, and the ONNX
graph the app serves is checked against the model."""

from __future__ import annotations

import io
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from kedro_ml_starter.runtime import (
    Comparison,
    OnnxGraph,
    OnnxParityError,
    fit_naive_model,
)

from tests.helpers import (
    LOST,
    PROMOTED,
    contract,
    model_versions,
    parameters,
    stage_module,
)

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


# The shipped promotion settings: beat the naive baseline, no worse than the promoted.
PROMOTION = parameters("model_evaluation")["promotion"]
PRIMARY = "f1_macro" if CONTRACT.classification else "rmse"


def test_the_naive_baseline_ignores_the_features(engine, fitted):
    naive = fit_naive_model(fitted["train"], DATA)
    _, predictions = engine.predictions(naive, fitted["eval"])
    assert len(set(map(str, predictions))) == 1  # one answer for every row
    naive_metrics = nodes.eval_metrics(naive, fitted["eval"], DATA)
    model_metrics = nodes.eval_metrics(fitted["model"], fitted["eval"], DATA)
    better = np.less if PRIMARY == "rmse" else np.greater
    assert better(model_metrics[PRIMARY], naive_metrics[PRIMARY])


def test_a_version_that_beats_the_naive_baseline_is_promoted_one_that_cannot_is_not(
    fitted, splits
):
    [judge] = [
        node.func
        for node in stage_module("evaluation", "pipeline").create_pipeline().nodes
        if node.name == "judge_model"
    ]
    versions = model_versions(fitted)  # PROMOTED holds the same model as the candidate
    candidate = nodes.eval_metrics(fitted["model"], fitted["eval"], DATA)
    naive = nodes.eval_metrics(
        fit_naive_model(fitted["train"], DATA), fitted["eval"], DATA
    )
    comparison = nodes.compare_with_promoted(
        versions, candidate, splits[1], DATA, PROMOTION
    )
    verdict = judge(versions, candidate, naive, comparison, PROMOTION)

    assert verdict.model_version == LOST  # the newest version: the one evaluated
    assert comparison.promoted_version == PROMOTED
    # the promoted version, scored on the raw eval rows, scores as the candidate does
    assert comparison.promoted[PRIMARY] == pytest.approx(candidate[PRIMARY])
    assert verdict.promoted
    assert " of the naive baseline; " in verdict.reason
    as_good_as_guessing = {**candidate, PRIMARY: naive[PRIMARY]}
    lost = judge(versions, as_good_as_guessing, naive, comparison, PROMOTION)
    assert not lost.promoted and " does not beat " in lost.reason
    impossible = {
        **PROMOTION,
        "criteria": {PRIMARY: -1.0 if PRIMARY == "rmse" else 1.01},
    }
    refused = judge(versions, candidate, naive, comparison, impossible)
    assert not refused.promoted


def test_nothing_is_scored_again_when_the_comparison_is_off(fitted):
    off = {**PROMOTION, "no_worse_than_promoted": False}
    versions = model_versions(fitted)
    comparison = nodes.compare_with_promoted(versions, {}, None, DATA, off)
    # nothing compared; the verdict still records what the candidate was trained for
    assert comparison == Comparison(contract=comparison.contract)
    assert comparison.contract["target"] == CONTRACT.target


def test_a_promoted_version_of_another_data_contract_is_not_compared(fitted, splits):
    """After `kedro layout use-data`, the old file's promoted model cannot score this eval
    split: the candidate is judged without it, and records its own contract."""
    other = {"target": "other", "task": CONTRACT.task, "classes": [], "features": {}}
    versions = model_versions(fitted)
    versions.verdicts[PROMOTED] = replace(versions.verdicts[PROMOTED], contract=other)
    candidate = nodes.eval_metrics(fitted["model"], fitted["eval"], DATA)
    comparison = nodes.compare_with_promoted(
        versions, candidate, splits[1], DATA, PROMOTION
    )
    assert comparison.promoted_version is None
    assert comparison.contract["features"] == CONTRACT.feature_kinds()
