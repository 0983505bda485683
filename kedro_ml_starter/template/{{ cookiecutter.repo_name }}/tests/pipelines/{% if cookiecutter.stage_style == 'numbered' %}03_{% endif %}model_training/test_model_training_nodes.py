"""Stage 03: the configured estimator learns the training split, describes itself, and
is exported with its transformers as one ONNX graph (or, when the converter cannot,
fails in one line)."""

from __future__ import annotations

import json

import onnx
import pytest
from kedro_ml_starter.runtime import EstimatorError, OnnxExportError

from tests.helpers import contract, parameters, stage_module

nodes = stage_module("training")
pipeline = stage_module("training", "pipeline")
CONTRACT = contract()
DATA = parameters("data_contract")
ONNX_TYPES = {"category": onnx.TensorProto.STRING}  # numbers and integers: FLOAT


def _name(path: str) -> str:
    """A class's name, without the module (scikit-learn's are private: `_logistic`)."""
    return path.rsplit(".", 1)[-1]


def _baseline(engine, fitted) -> float:
    """What always answering the commonest class (or the mean) scores on the train split."""
    if CONTRACT.classification:
        target = engine.table(fitted["train"])[CONTRACT.target]
        return float(target.astype(str).value_counts(normalize=True).max())
    return 0.0  # R² of the mean


def test_model_learns_the_training_split(engine, fitted):
    metrics = stage_module("evaluation").split_metrics(
        fitted["model"], fitted["train"], CONTRACT
    )
    score = metrics["accuracy"] if CONTRACT.classification else metrics["r2"]
    assert score > _baseline(engine, fitted)


def test_metadata_describes_the_model(engine, fitted):
    metadata = fitted["metadata"]
    expected = engine.model_name(engine.training["estimator"]["type"])
    assert _name(metadata["model_class"]) == expected
    assert metadata["task"] == CONTRACT.task
    rows, width = engine.matrix(fitted["train"]).shape
    assert metadata["train_rows"] == rows
    assert (
        len(metadata["feature_names"]) == len(set(metadata["feature_names"])) == width
    )
    assert set(metadata["classes"]) <= set(CONTRACT.classes)
    assert bool(metadata["classes"]) == CONTRACT.classification
    assert metadata["trained_at"].endswith("+00:00")


def test_training_reads_only_training_features():
    [node] = [n for n in pipeline.create_pipeline().nodes if n.name == "train_model"]
    assert set(node.inputs) == {
        "train_features",
        "params:data_contract",
        "params:model_training",
    }


def test_the_estimator_is_a_parameter(engine, fitted):
    other = engine.tree(CONTRACT.task)
    model, metadata = nodes.train_model(fitted["train"], DATA, {"estimator": other})
    assert _name(metadata["model_class"]) == engine.model_name(other["type"])
    assert engine.depth(model) <= 2
    wrong = {"type": "sklearn.linear_model.NoSuchModel"}
    with pytest.raises(EstimatorError, match=r"NoSuchModel', which cannot be imported"):
        nodes.train_model(fitted["train"], DATA, {"estimator": wrong})


def test_the_graph_takes_the_raw_feature_columns_and_says_what_it_predicts(fitted):
    graph = nodes.export_onnx(
        fitted["transformers"],
        fitted["model"],
        fitted["metadata"],
        DATA,
        {"runtime": "onnx"},
    )
    model = onnx.load_from_string(graph.content)
    properties = {p.key: p.value for p in model.metadata_props}
    columns = json.loads(properties["columns"])
    assert columns == list(CONTRACT.feature_names)
    types = [i.type.tensor_type.elem_type for i in model.graph.input]
    kinds = CONTRACT.feature_kinds()
    assert types == [ONNX_TYPES.get(kinds[c], onnx.TensorProto.FLOAT) for c in columns]
    assert json.loads(properties["classes"]) == fitted["metadata"]["classes"]
    assert properties["task"] == CONTRACT.task
    trained_at = json.loads(properties["model_metadata"])["trained_at"]
    assert trained_at == fitted["metadata"]["trained_at"]


def test_with_the_fallback_runtime_nothing_is_exported(engine, fitted):
    runtime = engine.fallback_runtime
    graph = nodes.export_onnx(
        fitted["transformers"],
        fitted["model"],
        fitted["metadata"],
        DATA,
        {"runtime": runtime},
    )
    assert graph.content == b""
    assert graph.not_exported == f"serving.runtime is {runtime}"


def test_a_model_the_converter_cannot_convert_fails_in_one_line(engine, fitted):
    transformers, model, name = engine.unconvertible(fitted)
    with pytest.raises(OnnxExportError) as raised:
        nodes.export_onnx(
            transformers, model, fitted["metadata"], DATA, {"runtime": "onnx"}
        )
    message = str(raised.value)
    assert f"no converter for {name};" in message
    assert message.endswith(
        f"set `serving.runtime: {engine.fallback_runtime}` in "
        f"conf/base/parameters_api.yml to serve with {engine.library} instead"
    )
    assert "\n" not in message
