"""Stage 05 online: the HTTP app, through FastAPI's TestClient (no server, no network).

These tests hold for either engine and any data contract: the routes, the answers
without a model, the request validation and limits, all derived from the contract. The
projects they open come from this folder's conftest.py; that the app's predictions equal
batch scoring is in test_app_parity.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from kedro_ml_starter.runtime import BYTES_PER_ROW, open_project

from tests.helpers import contract, load, request_rows, stage_module

app_module = stage_module("serving", "app")
CONTRACT = contract()
FEATURES = CONTRACT.features
NUMBERS = [c for c in FEATURES if c.numeric]
CATEGORIES = [c for c in FEATURES if c.kind == "category"]


def _row() -> dict[str, Any]:
    """The contract's example row, or the first raw row without missing features."""
    if set(CONTRACT.feature_names) <= set(CONTRACT.example):
        return dict(CONTRACT.example)
    raw = load("raw_data").dropna(subset=list(CONTRACT.feature_names))
    return request_rows(raw.head(1))[0]


ROW = _row()


def _without(field: str) -> dict:
    return {k: v for k, v in ROW.items() if k != field}


def _outside(column) -> float:
    bound, limit = next(iter(column.bounds.items()))
    return limit - abs(limit) - 1 if bound in ("gt", "ge") else limit + abs(limit) + 1


def _bad_requests() -> list[tuple[str, Any, str]]:
    """(path, body, the field the answer names): one per rule a request can break."""
    first = FEATURES[0].name
    cases = [
        ("/predict", _without(first), first),
        ("/predict", {**ROW, "not_a_column": 1.0}, "not_a_column"),
        ("/predict", [ROW], "body"),
        ("/predict/batch", {"rows": []}, "rows"),
    ]
    for column in NUMBERS[:1]:
        cases += [
            ("/predict", {**ROW, column.name: "a lot"}, column.name),
            ("/predict", {**ROW, column.name: True}, column.name),
        ]
    cases += [
        ("/predict", {**ROW, column.name: _outside(column)}, column.name)
        for column in NUMBERS
        if column.bounds
    ][:1]
    for column in CATEGORIES[:1]:
        bad = {**ROW, column.name: "not-a-category"}
        cases += [
            ("/predict", bad, column.name),
            ("/predict/batch", {"rows": [ROW, bad]}, f"rows[1].{column.name}"),
        ]
    return cases


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
    assert ready["verdict"].startswith("promoted: ") and not ready["pinned"]
    assert info["verdict"]["promoted"] and not info["pinned"]
    assert (info["task"], info["target"]) == (CONTRACT.task, CONTRACT.target)
    assert info["trained_at"] and set(info["classes"]) <= set(CONTRACT.classes)
    primary = "f1_macro" if CONTRACT.classification else "rmse"
    assert info["metrics"]["test"][primary] >= 0


def test_a_row_is_answered_as_the_task_asks(client):
    response = client.post("/predict", json=ROW)
    assert response.status_code == 200, response.text
    answer = response.json()
    if CONTRACT.classification:
        assert answer["prediction"] in CONTRACT.classes
        assert abs(sum(answer["probabilities"].values()) - 1) < 1e-3
    else:
        assert isinstance(answer["prediction"], float)
        assert "probabilities" not in answer


@pytest.mark.parametrize(("path", "body", "field"), _bad_requests())
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
        content=b'{"a": 1,',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["message"]


def test_unknown_values_may_be_null_and_categories_ignore_case(client):
    row = dict(ROW)
    for column in CONTRACT.request_columns:
        if column.nullable or not column.feature:
            row[column.name] = None
    for column in CATEGORIES[:1]:
        row[column.name] = f" {column.categories[0].upper()}"
    response = client.post("/predict", json=row)
    assert response.status_code == 200, response.text


def test_the_request_schema_follows_the_data_contract(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Row"]
    assert list(schema["properties"]) == [c.name for c in CONTRACT.request_columns]
    assert sorted(schema["required"]) == sorted(CONTRACT.feature_names)
    for column in CATEGORIES:
        options = schema["properties"][column.name].get("anyOf") or [
            schema["properties"][column.name]
        ]
        enum = next(option["enum"] for option in options if "enum" in option)
        assert enum == list(column.categories)
