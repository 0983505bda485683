"""Stage 05 online = batch: the app's predictions, with every serving runtime, equal the
engine's batch predictions (`predict`, from this folder's conftest.py) on the same rows,
missing values included."""

from __future__ import annotations

import json
import math

import pandas as pd
from kedro_ml_starter.runtime.serving.project import open_project

from {{ cookiecutter.python_package }}.utils.schema import (
    PREDICTION,
    PROBABILITY_PREFIX,
)

from tests.helpers import RAW_CSV, read_raw_csv


def test_predictions_equal_the_batch_predictions_including_missing_values(
    client, trained, predict, engine
):
    raw = read_raw_csv(RAW_CSV)
    new = pd.concat([raw[raw.isna().any(axis=1)], raw.sample(20, random_state=1)])
    new = new.drop(columns="species").reset_index(drop=True)
    expected = predict(new)
    labels = list(expected[PREDICTION].astype(str))
    requests = json.loads(new.to_json(orient="records"))
    # The app rounds to 6 decimals; the ONNX graph may differ from the library a little.
    _, params = open_project(trained)
    onnx = params["serving"]["runtime"] == "onnx"
    tolerance = engine.onnx_tolerance if onnx else 1e-6

    batch = client.post("/predict/batch", json={"rows": requests})
    singles = [client.post("/predict", json=row) for row in requests]

    assert new.isna().any(axis=1).sum() >= 2  # the parity covers missing values
    assert batch.status_code == 200, batch.text
    answers = batch.json()["predictions"]
    assert [answer["prediction"] for answer in answers] == labels
    assert [single.json()["prediction"] for single in singles] == labels
    for answer, (_, row) in zip(answers, expected.iterrows()):
        for species, probability in answer["probabilities"].items():
            wanted = row[PROBABILITY_PREFIX + species]
            assert math.isclose(probability, wanted, abs_tol=tolerance)
