"""Stage 05 (batch): one prediction per new row, validated first. How the engine reads and
scores rows (`new_rows`, `predict`) comes from this folder's conftest.py."""

from __future__ import annotations

import pandas as pd
import pytest
from kedro_ml_starter.runtime.validation import describe

from {{ cookiecutter.python_package }}.utils.schema import (
    INPUT_COLUMNS,
    PREDICTION,
    PROBABILITY_COLUMNS,
    SPECIES,
)

from tests.helpers import NEW_CSV, read_raw_csv, stage_module

nodes = stage_module("serving")
PARAMETERS = {"keep_input_columns": True, "probability_decimals": 4}


def _score(engine, new_rows, fitted, parameters=PARAMETERS) -> pd.DataFrame:
    """The batch node's output, as a pandas table."""
    scored = nodes.score_new_rows(
        new_rows, fitted["transformers"], fitted["model"], parameters
    )
    return engine.table(scored)


@pytest.fixture
def scored(engine, fitted, new_rows) -> pd.DataFrame:
    return _score(engine, new_rows, fitted)


def test_batch_scoring_gives_one_prediction_per_row(engine, scored, new_rows):
    rows = engine.table(new_rows)
    assert len(scored) == len(rows)
    assert set(scored[PREDICTION]) <= set(SPECIES)
    assert list(scored.columns) == [*INPUT_COLUMNS, PREDICTION, *PROBABILITY_COLUMNS]
    assert list(scored["island"]) == list(rows["island"])


def test_probabilities_are_rounded_and_sum_to_one(scored):
    probabilities = scored[list(PROBABILITY_COLUMNS)].astype(float)
    assert ((probabilities.round(4) - probabilities).abs() < 1e-6).all(axis=None)
    assert ((probabilities.sum(axis=1) - 1).abs() < 1e-3).all()


def test_input_columns_can_be_left_out(engine, fitted, new_rows):
    parameters = {**PARAMETERS, "keep_input_columns": False}
    scored = _score(engine, new_rows, fitted, parameters)
    assert list(scored.columns) == [PREDICTION, *PROBABILITY_COLUMNS]


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
