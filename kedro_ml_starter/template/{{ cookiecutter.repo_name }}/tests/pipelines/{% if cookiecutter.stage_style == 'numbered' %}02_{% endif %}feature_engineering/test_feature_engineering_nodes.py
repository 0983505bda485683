"""Stage 02: transformers learn from the training split only; features are float32."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.helpers import stage_module

nodes = stage_module("features")
pipeline = stage_module("features", "pipeline")


def test_fitting_uses_the_training_split_only(splits):
    train, evaluation, _ = splits
    transformers = nodes.fit_transformers(train, {"numeric_imputation": "median"})
    scaler = transformers.named_transformers_["numeric"][-1]
    expected = train["bill_length_mm"].astype("float64")
    expected = expected.fillna(expected.median()).mean()
    assert scaler.mean_[0] == pytest.approx(expected, rel=1e-6)
    with_eval = nodes.fit_transformers(
        pd.concat([train, evaluation]), {"numeric_imputation": "median"}
    )
    assert with_eval.named_transformers_["numeric"][-1].mean_[0] != pytest.approx(scaler.mean_[0])


def test_fit_node_reads_only_train_and_transform_nodes_read_each_split():
    stage = pipeline.create_pipeline()
    fit_nodes = stage.only_nodes_with_tags("fit").nodes
    assert [set(n.inputs) for n in fit_nodes] == [{"penguins_train", "params:feature_engineering"}]
    transform_inputs = {i for n in stage.only_nodes_with_tags("transform").nodes for i in n.inputs}
    assert {"penguins_train", "penguins_eval", "penguins_test"} <= transform_inputs


def test_transform_gives_float32_features_and_keeps_the_species(splits):
    train, evaluation, _ = splits
    transformers = nodes.fit_transformers(train, {"numeric_imputation": "median"})
    features = nodes.transform_split(evaluation, transformers)
    assert len(features) == len(evaluation)
    assert (features.index == evaluation.index).all()
    assert (features["species"] == evaluation["species"]).all()
    numeric = features.drop(columns="species")
    assert set(numeric.dtypes) == {np.dtype("float32")}
    assert not numeric.isna().any().any()
    assert "island_Dream" in numeric.columns
