"""Stage 05 online = batch: the app's predictions equal `predict_frame` on the same rows."""

from __future__ import annotations

import json
import math

import pandas as pd

from {{ cookiecutter.python_package }}.utils.schema import (
    PREDICTION,
    PROBABILITY_PREFIX,
)
from {{ cookiecutter.python_package }}.utils.scoring import (
    predict_frame,
)
from {{ cookiecutter.python_package }}.utils.validation import (
    NEW_ROWS_SCHEMA,
)

from tests.helpers import RAW_CSV, read_raw_csv


def test_predictions_equal_the_batch_scorers_including_missing_values(client, fitted):
    raw = read_raw_csv(RAW_CSV)
    new = pd.concat([raw[raw.isna().any(axis=1)], raw.sample(20, random_state=1)])
    new = new.drop(columns="species").reset_index(drop=True)
    rows = NEW_ROWS_SCHEMA.validate(new)
    expected = predict_frame(rows, fitted["transformers"], fitted["model"])
    labels = list(expected[PREDICTION].astype(str))
    requests = json.loads(new.to_json(orient="records"))

    batch = client.post("/predict/batch", json={"rows": requests})
    singles = [client.post("/predict", json=row) for row in requests]

    assert batch.status_code == 200, batch.text
    answers = batch.json()["predictions"]
    assert [answer["prediction"] for answer in answers] == labels
    assert [single.json()["prediction"] for single in singles] == labels
    for answer, (_, row) in zip(answers, expected.iterrows()):
        for species, probability in answer["probabilities"].items():
            wanted = row[PROBABILITY_PREFIX + species]
            assert math.isclose(probability, wanted, abs_tol=1e-6)
