"""Stage 05 (batch): one prediction per new row, validated first. How the engine reads and
scores rows (`new_rows`, `predict`) comes from this folder's conftest.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from kedro_ml_starter.runtime import NoPromotedVersion, VersionRefused, describe

from tests.helpers import (
    LOST,
    PROMOTED,
    contract,
    load,
    model_versions,
    parameters,
    stage_module,
)

nodes = stage_module("serving")
pipeline = stage_module("serving", "pipeline")
CONTRACT = contract()
DATA = parameters("data_contract")
PARAMETERS = {"keep_input_columns": True, "probability_decimals": 4}


def _score(engine, new_rows, fitted, parameters=PARAMETERS, pin=None) -> pd.DataFrame:
    """The batch pipeline's output (validation, then scoring), as a pandas table: with the
    newest promoted of two versions of the fitted model (PROMOTED, not LOST), or `pin`."""
    rows = nodes.validate_new_rows(new_rows, DATA)
    serving = {"model_version": pin}
    scored = nodes.score_new_rows(
        rows, model_versions(fitted), DATA, serving, parameters
    )
    return engine.table(scored)


@pytest.fixture
def scored(engine, fitted, new_rows) -> pd.DataFrame:
    return _score(engine, new_rows, fitted)


def test_batch_scoring_gives_one_prediction_per_row(engine, scored, new_rows):
    rows = engine.table(new_rows)
    assert len(scored) == len(rows) > 0
    assert list(scored.columns) == [
        *rows.columns,
        *CONTRACT.output_columns,
        "model_version",
    ]
    predicted = scored[CONTRACT.prediction_column]
    if CONTRACT.classification:
        assert set(predicted.astype(str)) <= set(CONTRACT.classes)
    else:
        assert np.isfinite(predicted.astype(float)).all()
    first = rows.columns[0]
    assert scored[first].astype(str).tolist() == rows[first].astype(str).tolist()


def test_probabilities_are_rounded_and_sum_to_one(scored):
    if not CONTRACT.classification:
        pytest.skip("a regression predicts a number, no probabilities")
    probabilities = scored[list(CONTRACT.probability_columns)].astype(float)
    assert ((probabilities.round(4) - probabilities).abs() < 1e-6).all(axis=None)
    assert ((probabilities.sum(axis=1) - 1).abs() < 1e-3).all()


def test_input_columns_can_be_left_out(engine, fitted, new_rows):
    parameters = {**PARAMETERS, "keep_input_columns": False}
    scored = _score(engine, new_rows, fitted, parameters)
    assert list(scored.columns) == [*CONTRACT.output_columns, "model_version"]


def test_batch_scoring_uses_the_newest_promoted_version_not_the_newest(scored):
    assert set(scored["model_version"]) == {PROMOTED}


def test_a_pin_must_name_a_promoted_version(engine, fitted, new_rows):
    pinned = _score(engine, new_rows, fitted, pin=PROMOTED)
    assert set(pinned["model_version"]) == {PROMOTED}
    with pytest.raises(VersionRefused, match=f"version {LOST}, which was not promoted"):
        _score(engine, new_rows, fitted, pin=LOST)


def test_with_no_promoted_version_batch_scoring_says_what_to_run(fitted, new_rows):
    rows = nodes.validate_new_rows(new_rows, DATA)
    versions = model_versions(fitted, promoted=())
    serving = {"model_version": None}
    with pytest.raises(NoPromotedVersion, match="^no model version is promoted"):
        nodes.score_new_rows(rows, versions, DATA, serving, PARAMETERS)


def test_a_row_scores_the_same_alone_and_in_a_batch(predict):
    rows = load("raw_data").drop(columns=[CONTRACT.target]).head(10)
    batch = predict(rows)
    alone = predict(rows.iloc[[3]])
    pd.testing.assert_frame_equal(alone, batch.iloc[[3]])


def test_new_rows_that_break_the_contract_are_refused(engine, fitted):
    rows = load("new_rows")
    name = CONTRACT.feature_names[0]
    rows = rows.astype({name: object})
    rows.loc[rows.index[0], name] = "not-a-value-of-any-kind"
    with pytest.raises(engine.invalid_data) as error:
        _score(engine, engine.frame(rows), fitted)
    assert describe(error.value).startswith(f"column '{name}' must ")
    assert describe(error.value).endswith(f" in {engine.rows([0])}")


def test_validation_is_a_node_of_its_own_reading_only_the_new_rows():
    """A failure then names the file of new rows, never the model files it is scored with."""
    [validate] = [n for n in pipeline.create_pipeline().nodes if "validate" in n.name]
    assert set(validate.inputs) == {"new_rows", "params:data_contract"}
