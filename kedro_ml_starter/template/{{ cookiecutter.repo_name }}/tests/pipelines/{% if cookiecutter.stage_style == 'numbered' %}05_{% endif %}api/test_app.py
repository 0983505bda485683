"""Stage 05 online: the HTTP app, through FastAPI's TestClient (no server, no network).

These tests hold for either engine: the routes, the answers without a model, the request
validation and limits. The projects they open come from this folder's conftest.py; that
the app's predictions equal batch scoring is in test_app_parity.py.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from kedro_ml_starter.runtime.serving.http import BYTES_PER_ROW
from kedro_ml_starter.runtime.serving.project import open_project

from {{ cookiecutter.python_package }}.utils.schema import (
    CATEGORICAL_FEATURES,
    COLUMNS_BY_NAME,
    FEATURE_COLUMNS,
    INPUT_COLUMNS,
    SPECIES,
)

from tests.helpers import stage_module

app_module = stage_module("serving", "app")
ROW = {
    "island": "Biscoe",
    "bill_length_mm": 48.4,
    "bill_depth_mm": 14.4,
    "flipper_length_mm": 203.0,
    "body_mass_g": 4625.0,
    "sex": "female",
    "year": 2009,
}


def test_without_a_model_it_starts_and_says_which_stages_to_run(project):
    with TestClient(app_module.create_app(project)) as client:
        assert client.get("/health").status_code == 200
        for response in (
            client.get("/ready"),
            client.get("/model"),
            client.post("/predict", json=ROW),
            client.post("/predict/batch", json={"rows": [ROW]}),
        ):
            assert response.status_code == 503
            assert "no trained model in models/" in response.json()["message"]
            assert "run `kedro run`" in response.json()["message"]


def test_model_metadata_names_the_served_version_and_its_metrics(client, trained):
    catalog, _ = open_project(trained)
    version = catalog["model"].resolve_load_version()

    info = client.get("/model").json()

    ready = client.get("/ready").json()

    assert info["model_version"] == ready["model_version"] == version
    assert ready["verdict"].startswith("promoted: f1_macro ") and not ready["pinned"]
    assert info["verdict"]["promoted"] and not info["pinned"]
    assert info["trained_at"] and info["classes"] == list(SPECIES)
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
    _, params = open_project(trained)
    limit = params["serving"]["max_batch_size"]
    full = client.post("/predict/batch", json={"rows": [ROW] * limit})
    assert full.status_code == 200
    response = client.post("/predict/batch", json={"rows": [ROW] * (limit + 1)})
    assert response.status_code == 422
    message = response.json()["message"]
    assert message.startswith(f"rows: List should have at most {limit} items")


def test_a_body_over_the_size_limit_is_refused_before_it_is_read(client, trained):
    _, params = open_project(trained)
    limit = params["serving"]["max_batch_size"] * BYTES_PER_ROW
    response = client.post(
        "/predict",
        content=b" " * (limit + 1),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    message = response.json()["message"]
    assert message.startswith(f"body: {limit + 1} bytes is too large")


def test_malformed_json_is_a_400(client):
    response = client.post(
        "/predict",
        content=b'{"island": "Biscoe",',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["message"]


def test_unknown_values_may_be_null_and_categories_ignore_case(client):
    row = {**ROW, "island": " biscoe", "sex": None, "bill_depth_mm": None, "year": None}
    response = client.post("/predict", json=row)
    assert response.status_code == 200, response.text
    assert response.json()["prediction"] in SPECIES


def test_the_request_schema_follows_utils_schema(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Row"]
    assert list(schema["properties"]) == list(INPUT_COLUMNS)
    assert sorted(schema["required"]) == sorted(FEATURE_COLUMNS)
    for name in CATEGORICAL_FEATURES:
        options = schema["properties"][name]["anyOf"]
        enum = next(option["enum"] for option in options if "enum" in option)
        assert enum == list(COLUMNS_BY_NAME[name].categories)
