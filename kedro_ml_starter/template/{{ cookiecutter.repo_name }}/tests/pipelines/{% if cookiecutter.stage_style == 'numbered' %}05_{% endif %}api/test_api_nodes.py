"""Stage 05 (batch): one prediction per new row, validated first. How the engine reads and
scores rows (`new_rows`, `predict`) comes from this folder's conftest.py."""

from __future__ import annotations

import pandas as pd
import pytest
from kedro_ml_starter.runtime.model_versions import NoPromotedVersion, VersionRefused
from kedro_ml_starter.runtime.validation import describe

from {{ cookiecutter.python_package }}.utils.schema import (
    INPUT_COLUMNS,
    PREDICTION,
    PROBABILITY_COLUMNS,
    SPECIES,
)

from tests.helpers import (
    LOST,
    NEW_CSV,
    PROMOTED,
    model_versions,
    read_raw_csv,
    stage_module,
)

nodes = stage_module("serving")
PARAMETERS = {"keep_input_columns": True, "probability_decimals": 4}


def _score(engine, new_rows, fitted, parameters=PARAMETERS, pin=None) -> pd.DataFrame:
    """The batch node's output, as a pandas table: the newest promoted of two versions
    of the fitted model (PROMOTED, not LOST), or the `pin`."""
    versions = model_versions(fitted)
    scored = nodes.score_new_rows(
        new_rows, versions, {"model_version": pin}, parameters
    )
    return engine.table(scored)


@pytest.fixture
def scored(engine, fitted, new_rows) -> pd.DataFrame:
    return _score(engine, new_rows, fitted)


def test_batch_scoring_gives_one_prediction_per_row(engine, scored, new_rows):
    rows = engine.table(new_rows)
    assert len(scored) == len(rows)
    assert set(scored[PREDICTION]) <= set(SPECIES)
    assert list(scored.columns) == [
        *INPUT_COLUMNS,
        PREDICTION,
        *PROBABILITY_COLUMNS,
        "model_version",
    ]
    assert list(scored["island"]) == list(rows["island"])


def test_batch_scoring_uses_the_newest_promoted_version_not_the_newest(scored):
    assert set(scored["model_version"]) == {PROMOTED}


def test_a_pin_must_name_a_promoted_version(engine, fitted, new_rows):
    assert set(_score(engine, new_rows, fitted, pin=PROMOTED)["model_version"]) == {
        PROMOTED
    }
    with pytest.raises(
        VersionRefused, match=f"names model version {LOST}, which was not"
    ):
        _score(engine, new_rows, fitted, pin=LOST)


def test_with_no_promoted_version_batch_scoring_says_what_to_run(fitted, new_rows):
    versions = model_versions(fitted, promoted=())
    with pytest.raises(NoPromotedVersion, match="^no model version is promoted"):
        nodes.score_new_rows(new_rows, versions, {"model_version": None}, PARAMETERS)


def test_probabilities_are_rounded_and_sum_to_one(scored):
    probabilities = scored[list(PROBABILITY_COLUMNS)].astype(float)
    assert ((probabilities.round(4) - probabilities).abs() < 1e-6).all(axis=None)
    assert ((probabilities.sum(axis=1) - 1).abs() < 1e-3).all()


def test_input_columns_can_be_left_out(engine, fitted, new_rows):
    parameters = {**PARAMETERS, "keep_input_columns": False}
    scored = _score(engine, new_rows, fitted, parameters)
    assert list(scored.columns) == [PREDICTION, *PROBABILITY_COLUMNS, "model_version"]


def test_a_row_scores_the_same_alone_and_in_a_batch(predict):
    rows = read_raw_csv(NEW_CSV)
    batch = predict(rows)
    alone = predict(rows.iloc[[3]])
    pd.testing.assert_frame_equal(alone, batch.iloc[[3]])


def test_new_rows_with_an_unknown_category_are_refused(engine, fitted):
    rows = read_raw_csv(NEW_CSV)
    rows.loc[2, "sex"] = "unknown"
    with pytest.raises(engine.invalid_data) as error:
        _score(engine, engine.frame(rows), fitted)
    assert describe(error.value) == (
        "column 'sex' must be one of female, male (or empty): "
        f"found 'unknown' in {engine.rows([2])}"
    )
