"""Stage 05 online: the HTTP app, through FastAPI's TestClient (no server, no network).

Each test opens a throw-away copy of this project's configuration, so the models/ the app
reads are the test's own: empty, or holding a model the test trained with the stages' own
functions and saved through the project's catalog.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from tests.helpers import PROJECT_ROOT, read_raw_csv, stage_module
from {{ cookiecutter.python_package }}.utils.schema import (
    CATEGORICAL_FEATURES,
    COLUMNS_BY_NAME,
    FEATURE_COLUMNS,
    INPUT_COLUMNS,
)
from {{ cookiecutter.python_package }}.utils.scoring import PREDICTION, predict_frame
from {{ cookiecutter.python_package }}.utils.validation import validate_frame

app_module = stage_module("serving", "app")
artifacts_module = stage_module("serving", "artifacts")
ROW = {"island": "Biscoe", "bill_length_mm": 48.4, "bill_depth_mm": 14.4,
       "flipper_length_mm": 203.0, "body_mass_g": 4625.0, "sex": "female", "year": 2009}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This project's conf/ and pyproject.toml around an empty models/ folder.

    Kedro wants a src/ folder to exist; the package itself is the one under test.
    """
    monkeypatch.setenv("KEDRO_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
    shutil.copytree(PROJECT_ROOT / "conf", tmp_path / "conf")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for folder in ("src", "models", "data/05_reporting"):  # the code is imported from here
        (tmp_path / folder).mkdir(parents=True)
    return tmp_path


@pytest.fixture
def trained(project: Path, fitted: dict) -> Path:
    """The project after stages 02-04: artifacts saved through the project's catalog."""
    catalog, _ = artifacts_module.open_project(project)
    catalog.save("feature_transformers", fitted["transformers"])
    catalog.save("model", fitted["model"])
    catalog.save("model_metadata", fitted["metadata"])
    evaluate = stage_module("evaluation").evaluate_model
    catalog.save("metrics", evaluate(fitted["model"], fitted["eval"], fitted["test"]))
    return project


@pytest.fixture
def client(trained: Path):
    with TestClient(app_module.create_app(trained)) as test_client:
        yield test_client


def test_without_a_model_it_starts_and_says_which_stages_to_run(project):
    with TestClient(app_module.create_app(project)) as client:
        assert client.get("/health").status_code == 200
        for response in (client.get("/ready"), client.get("/model"),
                         client.post("/predict", json=ROW),
                         client.post("/predict/batch", json={"rows": [ROW]})):
            assert response.status_code == 503
            assert "no trained model in models/" in response.json()["message"]
            assert "run `kedro run`" in response.json()["message"]


def test_predictions_equal_the_batch_scorers_including_missing_values(client, fitted):
    raw = read_raw_csv(PROJECT_ROOT / "data" / "01_raw" / "penguins.csv")
    new = pd.concat([raw[raw.isna().any(axis=1)], raw.sample(20, random_state=1)])
    new = new.drop(columns="species").reset_index(drop=True)
    expected = predict_frame(validate_frame(new, require_target=False),
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


def test_model_metadata_names_the_served_version_and_its_metrics(client, trained):
    catalog, _ = artifacts_module.open_project(trained)
    version = catalog["model"].resolve_load_version()

    info = client.get("/model").json()

    assert info["model_version"] == version
    assert client.get("/ready").json() == {"status": "ready", "model_version": version}
    assert info["trained_at"] and info["classes"] == ["Adelie", "Chinstrap", "Gentoo"]
    assert 0.9 <= info["metrics"]["test"]["accuracy"] <= 1


def _without(field: str) -> dict:
    return {k: v for k, v in ROW.items() if k != field}


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/predict", {**ROW, "bill_length_mm": "long"}, "bill_length_mm"),
        ("/predict", {**ROW, "body_mass_g": True}, "body_mass_g"),
        ("/predict", {**ROW, "flipper_length_mm": -3}, "flipper_length_mm"),
        ("/predict", {**ROW, "body_mass_g": 1e9}, "body_mass_g"),
        ("/predict", _without("bill_depth_mm"), "bill_depth_mm"),
        ("/predict", {**ROW, "island": "Atlantis"}, "island"),
        ("/predict", {**ROW, "bill_lenght_mm": 40.0}, "bill_lenght_mm"),
        ("/predict", [ROW], "body"),
        ("/predict/batch", {"rows": []}, "rows"),
        ("/predict/batch", {"rows": [ROW, {**ROW, "sex": "unknown"}]}, "rows[1].sex"),
    ],
)
def test_a_bad_request_is_a_422_naming_the_field(client, path, body, field):
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert response.json()["message"].startswith(f"{field}: ")
    assert client.get("/ready").status_code == 200


def test_a_batch_over_the_configured_maximum_is_refused(client, trained):
    _, params = artifacts_module.open_project(trained)
    limit = params["serving"]["max_batch_size"]
    assert client.post("/predict/batch", json={"rows": [ROW] * limit}).status_code == 200
    response = client.post("/predict/batch", json={"rows": [ROW] * (limit + 1)})
    assert response.status_code == 422
    assert response.json()["message"].startswith(f"rows: List should have at most {limit} items")


def test_a_body_over_the_size_limit_is_refused_before_it_is_read(client, trained):
    _, params = artifacts_module.open_project(trained)
    limit = params["serving"]["max_batch_size"] * stage_module("serving", "limits").BYTES_PER_ROW
    response = client.post("/predict", content=b" " * (limit + 1),
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["message"].startswith(f"body: {limit + 1} bytes is too large")


def test_malformed_json_is_a_400(client):
    response = client.post("/predict", content=b'{"island": "Biscoe",',
                           headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["message"]


def test_unknown_values_may_be_null_and_categories_ignore_case(client):
    row = {**ROW, "island": " biscoe", "sex": None, "bill_depth_mm": None, "year": None}
    response = client.post("/predict", json=row)
    assert response.status_code == 200, response.text
    assert response.json()["prediction"] in {"Adelie", "Chinstrap", "Gentoo"}


def test_the_request_schema_follows_utils_schema(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Row"]
    assert list(schema["properties"]) == list(INPUT_COLUMNS)
    assert sorted(schema["required"]) == sorted(FEATURE_COLUMNS)
    for name in CATEGORICAL_FEATURES:
        enum = next(option["enum"] for option in schema["properties"][name]["anyOf"]
                    if "enum" in option)
        assert enum == list(COLUMNS_BY_NAME[name].categories)
