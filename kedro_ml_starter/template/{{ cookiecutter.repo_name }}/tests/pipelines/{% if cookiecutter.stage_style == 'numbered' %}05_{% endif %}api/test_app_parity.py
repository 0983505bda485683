"""Stage 05 online = batch: the app's predictions, with every serving runtime, equal the
engine's batch predictions (`predict`, from this folder's conftest.py) on the same rows,
missing values included."""

from __future__ import annotations

import math

import pandas as pd
from kedro_ml_starter.runtime import open_project

from tests.helpers import contract, load, request_rows

CONTRACT = contract()


def _rows() -> pd.DataFrame:
    """Raw rows with missing values (every one there is), then a sample of the rest."""
    raw = load("raw_data").drop(columns=[CONTRACT.target])
    missing = raw[raw[list(CONTRACT.feature_names)].isna().any(axis=1)]
    return pd.concat([missing, raw.sample(min(20, len(raw)), random_state=1)])


def test_predictions_equal_the_batch_predictions_including_missing_values(
    client, trained, predict, engine
):
    new = _rows().reset_index(drop=True)
    expected = predict(new)
    requests = request_rows(new)
    # The app rounds to 6 decimals; the ONNX graph may differ from the library a little.
    _, params = open_project(trained)
    onnx = params["serving"]["runtime"] == "onnx"
    tolerance = engine.onnx_tolerance if onnx else 1e-6

    batch = client.post("/predict/batch", json={"rows": requests})
    singles = [client.post("/predict", json=row) for row in requests]

    assert batch.status_code == 200, batch.text
    version = batch.json()["model_version"]
    assert {single.json()["model_version"] for single in singles} == {version}
    for answers in (batch.json()["predictions"], [s.json() for s in singles]):
        _assert_close(answers, expected, tolerance)


def _assert_close(
    answers: list[dict], expected: pd.DataFrame, tolerance: float
) -> None:
    """The app's answers are the batch predictions: the same class and probabilities
    within `tolerance`, or the same number to float32 precision."""
    predicted = expected[CONTRACT.prediction_column]
    if not CONTRACT.classification:
        scale = max(1.0, float(predicted.abs().max()))
        for answer, wanted in zip(answers, predicted, strict=True):
            assert math.isclose(answer["prediction"], wanted, abs_tol=scale * 1e-5)
        return
    assert [answer["prediction"] for answer in answers] == list(predicted.astype(str))
    for answer, (_, row) in zip(answers, expected.iterrows(), strict=True):
        for label, probability in answer["probabilities"].items():
            wanted = row[CONTRACT.probability_columns[CONTRACT.classes.index(label)]]
            assert math.isclose(probability, wanted, abs_tol=tolerance)
