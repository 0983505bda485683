"""Stage 03: the model learns the training split, describes itself, and is exported with
its transformers as one ONNX graph (or, when the converter cannot, fails in one line)."""

from __future__ import annotations

import json

import onnx
import pytest
from kedro_ml_starter.runtime.onnx_export import OnnxExportError

from {{ cookiecutter.python_package }}.utils.schema import (
    FEATURE_COLUMNS,
    SPECIES,
)

from tests.helpers import stage_module

nodes = stage_module("training")
pipeline = stage_module("training", "pipeline")


def test_model_learns_the_training_split(fitted):
    metrics = stage_module("evaluation").split_metrics(fitted["model"], fitted["train"])
    assert metrics["accuracy"] > 0.95


def test_metadata_describes_the_model(engine, fitted):
    metadata = fitted["metadata"]
    assert "LogisticRegression" in metadata["model_class"]
    rows, width = engine.matrix(fitted["train"]).shape
    assert metadata["train_rows"] == rows
    assert (
        len(metadata["feature_names"]) == len(set(metadata["feature_names"])) == width
    )
    assert metadata["classes"] == list(SPECIES)
    assert metadata["trained_at"].endswith("+00:00")


def test_training_reads_only_training_features():
    [node] = [n for n in pipeline.create_pipeline().nodes if n.name == "train_model"]
    assert set(node.inputs) == {"train_features", "params:model_training"}


def test_the_graph_takes_the_raw_feature_columns_and_names_the_classes(fitted):
    graph = nodes.export_onnx(
        fitted["transformers"], fitted["model"], fitted["metadata"], {"runtime": "onnx"}
    )
    model = onnx.load_from_string(graph.content)
    inputs = {i.name: i.type.tensor_type.elem_type for i in model.graph.input}
    assert set(inputs) == set(FEATURE_COLUMNS)
    assert inputs["island"] == inputs["sex"] == onnx.TensorProto.STRING
    assert inputs["body_mass_g"] == onnx.TensorProto.FLOAT
    properties = {p.key: p.value for p in model.metadata_props}
    assert json.loads(properties["classes"]) == list(SPECIES)
    trained_at = json.loads(properties["model_metadata"])["trained_at"]
    assert trained_at == fitted["metadata"]["trained_at"]


def test_with_the_fallback_runtime_nothing_is_exported(engine, fitted):
    runtime = engine.fallback_runtime
    graph = nodes.export_onnx(
        fitted["transformers"],
        fitted["model"],
        fitted["metadata"],
        {"runtime": runtime},
    )
    assert graph.content == b""
    assert graph.not_exported == f"serving.runtime is {runtime}"


def test_a_model_the_converter_cannot_convert_fails_in_one_line(engine, fitted):
    transformers, model, name = engine.unconvertible(fitted)
    with pytest.raises(OnnxExportError) as raised:
        nodes.export_onnx(transformers, model, fitted["metadata"], {"runtime": "onnx"})
    message = raised.value.message
    assert f"no converter for {name};" in message
    assert message.endswith(
        f"set `serving.runtime: {engine.fallback_runtime}` in "
        f"conf/base/parameters_api.yml to serve with {engine.library} instead"
    )
    assert "\n" not in message
