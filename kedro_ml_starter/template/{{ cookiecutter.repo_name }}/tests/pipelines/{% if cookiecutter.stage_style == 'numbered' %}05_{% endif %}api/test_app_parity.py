"""Stage 05 online = batch: the app's predictions equal `predict_frame` on the same rows."""

from __future__ import annotations

import json
import math

import pandas as pd

from tests.helpers import PROJECT_ROOT, read_raw_csv
from {{ cookiecutter.python_package }}.utils.schema import NEW_ROWS_SCHEMA
from {{ cookiecutter.python_package }}.utils.scoring import PREDICTION, predict_frame


def test_predictions_equal_the_batch_scorers_including_missing_values(client, fitted):
    raw = read_raw_csv(PROJECT_ROOT / "data" / "01_raw" / "penguins.csv")
    new = pd.concat([raw[raw.isna().any(axis=1)], raw.sample(20, random_state=1)])
    new = new.drop(columns="species").reset_index(drop=True)
    expected = predict_frame(NEW_ROWS_SCHEMA.validate(new),
                             fitted["transformers"], fitted["model"])
    rows = json.loads(new.to_json(orient="records"))

    batch = client.post("/predict/batch", json={"rows": rows})
    singles = [client.post("/predict", json=row) for row in rows]

    assert batch.status_code == 200, batch.text
    answers = batch.json()["predictions"]
    assert [a["prediction"] for a in answers] == list(expected[PREDICTION].astype(str))
    assert [s.json()["prediction"] for s in singles] == list(expected[PREDICTION].astype(str))
    for answer, (_, row) in zip(answers, expected.iterrows()):
        for species, probability in answer["probabilities"].items():
            assert math.isclose(probability, row[f"probability_{species}"], abs_tol=1e-6)
