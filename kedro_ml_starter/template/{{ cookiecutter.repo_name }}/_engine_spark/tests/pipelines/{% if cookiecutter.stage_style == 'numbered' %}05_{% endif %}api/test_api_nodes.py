"""Stage 05 (batch) on Spark: one prediction per new row, through the shared `score_frame`;
the HTTP app's pandas path, `predict_frame`, gives the same answers."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from kedro_ml_starter.runtime.spark_validation import validate_spark
from kedro_ml_starter.runtime.validation import DataValidationError

from {{ cookiecutter.python_package }}.utils.schema import (
    INPUT_COLUMNS,
    PREDICTION,
    PROBABILITY_COLUMNS,
    SPECIES,
)
from {{ cookiecutter.python_package }}.utils.scoring import (
    predict_frame,
    score_frame,
)
from {{ cookiecutter.python_package }}.utils.validation import (
    NEW_ROWS_SCHEMA,
)

from tests.helpers import NEW_CSV, RAW_CSV, read_raw_csv, stage_module
from tests.spark_helpers import read_spark_csv

nodes = stage_module("serving")
PARAMETERS = {"keep_input_columns": True, "probability_decimals": 4}


@pytest.fixture(scope="module")
def new_rows(spark):
    return read_spark_csv(NEW_CSV)


@pytest.fixture(scope="module")
def scored(fitted, new_rows) -> list:
    return _score(new_rows, fitted).collect()


def _score(new_rows, fitted, parameters=PARAMETERS):
    return nodes.score_new_rows(
        new_rows, fitted["transformers"], fitted["model"], parameters
    )


def test_batch_scoring_gives_one_prediction_per_row(scored, new_rows):
    assert len(scored) == new_rows.count()
    assert {row[PREDICTION] for row in scored} <= set(SPECIES)
    columns = [*INPUT_COLUMNS, PREDICTION, *PROBABILITY_COLUMNS]
    assert list(scored[0].asDict()) == columns
    islands = [row["island"] for row in new_rows.collect()]
    assert [row["island"] for row in scored] == islands


def test_probabilities_are_rounded_and_sum_to_one(scored):
    for row in scored:
        values = [row[name] for name in PROBABILITY_COLUMNS]
        assert all(round(v, 4) == pytest.approx(v, abs=1e-6) for v in values)  # float32
        assert abs(sum(values) - 1) < 1e-3


def test_input_columns_can_be_left_out(fitted, new_rows):
    scored = _score(new_rows, fitted, {**PARAMETERS, "keep_input_columns": False})
    assert scored.columns == [PREDICTION, *PROBABILITY_COLUMNS]


def test_new_rows_with_an_unknown_category_are_refused(fitted, spark):
    broken = spark.createDataFrame(
        [("Biscoe", "48.4", "14.4", "203", "4625", "unknown", "2009")],
        ", ".join(f"{name} string" for name in INPUT_COLUMNS),
    )
    expected = (
        r"column 'sex' must be one of female, male \(or empty\): "
        r"found 'unknown' in 1 row$"
    )
    with pytest.raises(DataValidationError, match=expected):
        _score(broken, fitted)


def test_the_http_path_scores_like_the_batch_path_including_missing_values(
    fitted, spark, tmp_path
):
    raw = read_raw_csv(RAW_CSV).drop(columns="species")
    rows = pd.concat([raw[raw.isna().any(axis=1)], raw.sample(20, random_state=1)])
    csv = tmp_path / "rows.csv"
    rows.to_csv(csv, index=False)

    transformers, model = fitted["transformers"], fitted["model"]
    online = predict_frame(NEW_ROWS_SCHEMA.validate(rows), transformers, model)
    validated = validate_spark(read_spark_csv(csv), NEW_ROWS_SCHEMA)
    batch = score_frame(validated, transformers, model).collect()

    assert rows.isna().any(axis=1).sum() >= 2  # the parity covers missing values
    assert list(online[PREDICTION]) == [row[PREDICTION] for row in batch]
    for (_, answer), row in zip(online.iterrows(), batch):
        for name in PROBABILITY_COLUMNS:
            assert math.isclose(answer[name], row[name], abs_tol=1e-6)
