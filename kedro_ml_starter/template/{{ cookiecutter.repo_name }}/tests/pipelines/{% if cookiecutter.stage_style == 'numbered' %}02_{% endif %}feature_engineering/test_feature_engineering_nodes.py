"""Stage 02: transformers learn from the training split only; every split becomes model
inputs next to its species, missing measurements imputed."""

from __future__ import annotations

import numpy as np
import pytest

from {{ cookiecutter.python_package }}.utils.schema import (
    NUMERIC_FEATURES,
)

from tests.helpers import stage_module

nodes = stage_module("features")
pipeline = stage_module("features", "pipeline")
MEASURED = len(NUMERIC_FEATURES)  # the scaled measurements come first


def test_fit_node_reads_only_train_and_transform_nodes_read_each_split():
    stage = pipeline.create_pipeline()
    fit_nodes = stage.only_nodes_with_tags("fit").nodes
    assert [set(n.inputs) for n in fit_nodes] == [
        {"penguins_train", "params:feature_engineering"}
    ]
    transform_nodes = stage.only_nodes_with_tags("transform").nodes
    transform_inputs = {i for n in transform_nodes for i in n.inputs}
    assert {"penguins_train", "penguins_eval", "penguins_test"} <= transform_inputs


def test_scaling_is_fitted_on_the_training_split_only(engine, fitted):
    train = engine.matrix(fitted["train"])[:, :MEASURED]
    evaluation = engine.matrix(fitted["eval"])[:, :MEASURED]
    assert np.abs(train.mean(axis=0)).max() == pytest.approx(0, abs=1e-5)
    assert np.abs(evaluation.mean(axis=0)).max() > 1e-3


def test_transform_keeps_every_row_and_its_species(engine, fitted, splits):
    features, evaluation = engine.table(fitted["eval"]), engine.table(splits[1])
    assert len(features) == len(evaluation)
    assert sorted(features["species"]) == sorted(evaluation["species"])
    matrix = engine.matrix(fitted["eval"])
    assert matrix.shape == (len(evaluation), len(fitted["metadata"]["feature_names"]))
    assert np.isfinite(matrix).all()


def test_missing_measurements_are_imputed_not_dropped(engine, raw_table, fitted):
    row = raw_table.head(1).assign(**dict.fromkeys(NUMERIC_FEATURES, np.nan))
    validated = stage_module("preprocessing").validate_raw_data(engine.frame(row))
    features = nodes.transform_split(validated, fitted["transformers"])
    assert np.isfinite(engine.matrix(features)).all()
