"""Stage 02 on Spark: transformers learn from the training split only; every split becomes
a `features` vector next to its species."""

from __future__ import annotations

import pytest
from tests.helpers import stage_module
from {{ cookiecutter.python_package }}.utils.features import FEATURES
from {{ cookiecutter.python_package }}.utils.schema import NUMERIC_FEATURES

nodes = stage_module("features")
pipeline = stage_module("features", "pipeline")
PARAMETERS = {"numeric_imputation": "median"}


def _values(frame, column: str) -> list[float]:
    return sorted(row[0] for row in frame.select(column).collect() if row[0] is not None)


def test_fitting_uses_the_training_split_only(fitted, splits):
    train, evaluation, _ = splits
    imputer, scaler = fitted["transformers"].stages[0], fitted["transformers"].stages[2]
    surrogate = imputer.surrogateDF.first()["bill_length_mm"]
    values = _values(train, "bill_length_mm")
    middle = len(values) // 2
    assert values[(len(values) - 1) // 2] <= surrogate <= values[middle]  # train's median
    filled = values + [surrogate] * (train.count() - len(values))
    assert scaler.mean[0] == pytest.approx(sum(filled) / len(filled), rel=1e-9)

    on_eval = nodes.fit_transformers(evaluation, PARAMETERS)
    assert on_eval.stages[0].surrogateDF.first()["bill_length_mm"] != surrogate
    assert on_eval.stages[2].mean[0] != pytest.approx(scaler.mean[0])


def test_fit_node_reads_only_train_and_transform_nodes_read_each_split():
    stage = pipeline.create_pipeline()
    fit_nodes = stage.only_nodes_with_tags("fit").nodes
    assert [set(n.inputs) for n in fit_nodes] == [{"penguins_train", "params:feature_engineering"}]
    transform_inputs = {i for n in stage.only_nodes_with_tags("transform").nodes for i in n.inputs}
    assert {"penguins_train", "penguins_eval", "penguins_test"} <= transform_inputs


def test_transform_keeps_every_row_and_gives_features_and_species(fitted, splits):
    evaluation, features = splits[1], fitted["eval"]
    assert features.columns == [FEATURES, "species"]
    assert features.count() == evaluation.count()
    assert _values(features, "species") == _values(evaluation, "species")
    sizes = {len(row[FEATURES]) for row in features.collect()}
    # scaled numbers, then island (3 + unseen/missing) and sex (2 + unseen/missing)
    assert sizes == {len(NUMERIC_FEATURES) + 4 + 3}


def test_missing_measurements_are_imputed_not_dropped(fitted, spark):
    row = fitted["transformers"].transform(spark.createDataFrame(
        [("Biscoe", None, None, None, None, None, 2009)],
        "island string, bill_length_mm double, bill_depth_mm double, "
        "flipper_length_mm double, body_mass_g double, sex string, year int",
    )).first()
    assert all(v == v for v in row[FEATURES].toArray())  # no NaN
