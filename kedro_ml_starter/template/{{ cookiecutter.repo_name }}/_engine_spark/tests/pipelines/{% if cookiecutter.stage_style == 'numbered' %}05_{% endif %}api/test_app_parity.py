"""Stage 05 online = batch on Spark: the app's predictions equal `score_new_rows` (the
batch pipeline's node) on the same rows, missing values included."""

from __future__ import annotations

import json
import math

import pandas as pd

from {{ cookiecutter.python_package }}.utils.schema import (
    PREDICTION,
    PROBABILITY_PREFIX,
)

from tests.helpers import RAW_CSV, read_raw_csv, stage_module
from tests.spark_helpers import read_spark_csv

BATCH_PARAMETERS = {"keep_input_columns": False, "probability_decimals": 6}


def test_predictions_equal_batch_scorings_including_missing_values(
    client, fitted, spark, tmp_path
):
    raw = read_raw_csv(RAW_CSV)
    new = pd.concat([raw[raw.isna().any(axis=1)], raw.sample(20, random_state=1)])
    new = new.drop(columns="species").reset_index(drop=True)
    new.to_csv(tmp_path / "new.csv", index=False)
    scored = stage_module("serving").score_new_rows(
        read_spark_csv(tmp_path / "new.csv"),
        fitted["transformers"],
        fitted["model"],
        BATCH_PARAMETERS,
    )
    expected = scored.collect()
    labels = [row[PREDICTION] for row in expected]
    requests = json.loads(new.to_json(orient="records"))

    batch = client.post("/predict/batch", json={"rows": requests})
    singles = [client.post("/predict", json=row) for row in requests[:5]]

    assert batch.status_code == 200, batch.text
    answers = batch.json()["predictions"]
    assert [answer["prediction"] for answer in answers] == labels
    assert [single.json()["prediction"] for single in singles] == labels[:5]
    for answer, row in zip(answers, expected):
        for species, probability in answer["probabilities"].items():
            wanted = row[PROBABILITY_PREFIX + species]
            assert math.isclose(probability, wanted, abs_tol=1e-5)
