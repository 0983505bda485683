"""Stage 05 (batch): one prediction per new row, through the shared `predict_frame`."""

from __future__ import annotations

import pandas as pd
import pytest
from kedro_ml_starter.runtime.validation import describe
from pandera.errors import SchemaError, SchemaErrors

from {{ cookiecutter.python_package }}.utils.schema import (
    PREDICTION,
    PROBABILITY_COLUMNS,
    SPECIES,
)
from {{ cookiecutter.python_package }}.utils.scoring import (
    predict_frame,
)
from {{ cookiecutter.python_package }}.utils.validation import (
    NEW_ROWS_SCHEMA,
)

from tests.helpers import NEW_CSV, read_raw_csv, stage_module

nodes = stage_module("serving")
PARAMETERS = {"keep_input_columns": True, "probability_decimals": 4}


@pytest.fixture
def new_rows() -> pd.DataFrame:
    return read_raw_csv(NEW_CSV)


def _score(new_rows, fitted, parameters=PARAMETERS) -> pd.DataFrame:
    return nodes.score_new_rows(
        new_rows, fitted["transformers"], fitted["model"], parameters
    )


def test_batch_scoring_gives_one_prediction_per_row(fitted, new_rows):
    scored = _score(new_rows, fitted)
    assert len(scored) == len(new_rows)
    assert set(scored[PREDICTION]) <= set(SPECIES)
    probabilities = scored.filter(like="probability_")
    assert list(probabilities.columns) == list(PROBABILITY_COLUMNS)
    assert ((probabilities.sum(axis=1) - 1).abs() < 1e-3).all()
    assert (scored["island"] == new_rows["island"]).all()


def test_a_row_scores_the_same_alone_and_in_a_batch(fitted, new_rows):
    rows = NEW_ROWS_SCHEMA.validate(new_rows)
    batch = predict_frame(rows, fitted["transformers"], fitted["model"])
    alone = predict_frame(rows.iloc[[3]], fitted["transformers"], fitted["model"])
    pd.testing.assert_frame_equal(alone, batch.iloc[[3]])


def test_new_rows_with_an_unknown_category_are_refused(fitted, new_rows):
    new_rows.loc[2, "sex"] = "unknown"
    with pytest.raises((SchemaError, SchemaErrors)) as error:
        _score(new_rows, fitted)
    assert describe(error.value).startswith("column 'sex' must be one of female, male")
    assert describe(error.value).endswith("found 'unknown' in row 2")
