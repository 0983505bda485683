"""Stage 05 online = batch on Spark: the app's predictions equal `score_new_rows` (the
batch pipeline's node) on the same rows, missing values included."""

from __future__ import annotations

import json
import math

import pandas as pd

from tests.helpers import RAW_CSV, read_raw_csv, stage_module
from tests.spark_helpers import read_spark_csv
from {{ cookiecutter.python_package }}.utils.scoring import PREDICTION

BATCH_PARAMETERS = {"keep_input_columns": False, "probability_decimals": 6}


def test_predictions_equal_batch_scorings_including_missing_values(client, fitted, spark,
                                                                   tmp_path):
    raw = read_raw_csv(RAW_CSV)
    new = pd.concat([raw[raw.isna().any(axis=1)], raw.sample(20, random_state=1)])
    new = new.drop(columns="species").reset_index(drop=True)
    new.to_csv(tmp_path / "new.csv", index=False)
    expected = stage_module("serving").score_new_rows(
        read_spark_csv(tmp_path / "new.csv"), fitted["transformers"], fitted["model"],
        BATCH_PARAMETERS,
    ).collect()
    rows = json.loads(new.to_json(orient="records"))

    batch = client.post("/predict/batch", json={"rows": rows})
    singles = [client.post("/predict", json=row) for row in rows[:5]]

    assert batch.status_code == 200, batch.text
    answers = batch.json()["predictions"]
    assert [a["prediction"] for a in answers] == [row[PREDICTION] for row in expected]
    assert [s.json()["prediction"] for s in singles] == [a["prediction"] for a in answers[:5]]
    for answer, row in zip(answers, expected):
        for species, probability in answer["probabilities"].items():
            assert math.isclose(probability, row[f"probability_{species}"], abs_tol=1e-5)
