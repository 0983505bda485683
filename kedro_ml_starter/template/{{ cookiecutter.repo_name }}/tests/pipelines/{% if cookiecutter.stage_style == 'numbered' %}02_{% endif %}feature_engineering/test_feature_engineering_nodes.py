"""Stage 02: transformers learn from the training split only; every split becomes model
inputs next to its target, missing values imputed."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import contract, parameters, stage_module

nodes = stage_module("features")
pipeline = stage_module("features", "pipeline")
CONTRACT = contract()
DATA = parameters("data_contract")
NUMBERS = len(CONTRACT.numeric_features)  # the numeric features come first


def test_fit_node_reads_only_train_and_transform_nodes_read_each_split():
    stage = pipeline.create_pipeline()
    fit_nodes = stage.only_nodes_with_tags("fit").nodes
    assert [set(n.inputs) for n in fit_nodes] == [
        {"train_split", "params:data_contract", "params:feature_engineering"}
    ]
    transform_nodes = stage.only_nodes_with_tags("transform").nodes
    transform_inputs = {i for n in transform_nodes for i in n.inputs}
    assert {"train_split", "eval_split", "test_split"} <= transform_inputs


def test_scaling_is_fitted_on_the_training_split_only(engine, fitted):
    if not (NUMBERS and parameters("feature_engineering")["scale_numbers"]):
        pytest.skip("no numeric feature is scaled")
    train = engine.matrix(fitted["train"])[:, :NUMBERS].astype(float)
    evaluation = engine.matrix(fitted["eval"])[:, :NUMBERS].astype(float)
    assert np.abs(train.mean(axis=0)).max() == pytest.approx(0, abs=1e-4)
    assert np.abs(evaluation.mean(axis=0)).max() > 1e-4


def test_transform_keeps_every_row_and_its_target(engine, fitted, splits):
    features, evaluation = engine.table(fitted["eval"]), engine.table(splits[1])
    assert len(features) == len(evaluation)
    target = CONTRACT.target
    assert sorted(features[target].astype(str)) == sorted(
        evaluation[target].astype(str)
    )
    matrix = engine.matrix(fitted["eval"])
    assert matrix.shape == (len(evaluation), len(fitted["metadata"]["feature_names"]))
    assert np.isfinite(matrix.astype(float)).all()


def test_missing_values_are_imputed_not_dropped(engine, raw_table, fitted):
    nullable = [c.name for c in CONTRACT.features if c.nullable]
    if not nullable:
        pytest.skip("no feature may be missing in the data contract")
    row = raw_table.head(1).astype(dict.fromkeys(nullable, object))
    row.loc[row.index[0], nullable] = None
    validated = stage_module("preprocessing").validate_raw_data(engine.frame(row), DATA)
    features = nodes.transform_split(validated, fitted["transformers"], DATA)
    assert np.isfinite(engine.matrix(features).astype(float)).all()
