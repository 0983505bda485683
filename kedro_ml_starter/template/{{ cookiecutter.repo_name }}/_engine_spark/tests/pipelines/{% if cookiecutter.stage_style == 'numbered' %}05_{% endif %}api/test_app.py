"""Stage 05 online on Spark: the HTTP app, through FastAPI's TestClient (no server, no
network).

The app opens a throw-away copy of this project's configuration, so the models/ it reads
are the test's own: empty, or holding the session's fitted transformers and model saved
through the project's catalog (Spark ML folders, versioned). Training and saving cost
seconds on Spark, so the trained copy and its client are shared by this module's tests,
which only read from them.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from tests.helpers import PROJECT_ROOT, RAW_CSV, read_raw_csv, stage_module
from tests.spark_helpers import read_spark_csv
from {{ cookiecutter.python_package }}.utils.schema import (
    CATEGORICAL_FEATURES,
    COLUMNS_BY_NAME,
    FEATURE_COLUMNS,
    INPUT_COLUMNS,
)
from {{ cookiecutter.python_package }}.utils.scoring import PREDICTION

app_module = stage_module("serving", "app")
artifacts_module = stage_module("serving", "artifacts")
ROW = {"island": "Biscoe", "bill_length_mm": 48.4, "bill_depth_mm": 14.4,
       "flipper_length_mm": 203.0, "body_mass_g": 4625.0, "sex": "female", "year": 2009}
BATCH_PARAMETERS = {"keep_input_columns": False, "probability_decimals": 6}


@pytest.fixture(scope="module", autouse=True)
def _no_telemetry():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEDRO_DISABLE_TELEMETRY", "1")
        patch.setenv("DO_NOT_TRACK", "1")
        yield


def _project(root: Path) -> Path:
    """This project's conf/ and pyproject.toml around an empty models/ folder.

    Kedro wants a src/ folder to exist; the package itself is the one under test.
    """
    shutil.copytree(PROJECT_ROOT / "conf", root / "conf")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", root / "pyproject.toml")
    for folder in ("src", "models", "data/05_reporting"):
        (root / folder).mkdir(parents=True)
    return root


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, fitted: dict) -> Path:
    """The project after stages 02-04: artifacts saved through the project's catalog."""
    project = _project(tmp_path_factory.mktemp("trained"))
    catalog, _ = artifacts_module.open_project(project)
    catalog.save("feature_transformers", fitted["transformers"])
    catalog.save("model", fitted["model"])
    catalog.save("model_metadata", fitted["metadata"])
    evaluate = stage_module("evaluation").evaluate_model
    catalog.save("metrics", evaluate(fitted["model"], fitted["eval"], fitted["test"]))
    return project


@pytest.fixture(scope="module")
def client(trained: Path):
    with TestClient(app_module.create_app(trained)) as test_client:
        yield test_client


def test_without_a_model_it_starts_and_says_which_stages_to_run(tmp_path, spark):
    with TestClient(app_module.create_app(_project(tmp_path))) as client:
        assert client.get("/health").status_code == 200
        for response in (client.get("/ready"), client.get("/model"),
                         client.post("/predict", json=ROW),
                         client.post("/predict/batch", json={"rows": [ROW]})):
            assert response.status_code == 503
            assert "no trained model in models/" in response.json()["message"]
            assert "run `kedro run`" in response.json()["message"]


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
        ("/predict", {**ROW, "flipper_length_mm": -3}, "flipper_length_mm"),
        ("/predict", _without("bill_depth_mm"), "bill_depth_mm"),
        ("/predict", {**ROW, "island": "Atlantis"}, "island"),
        ("/predict", {**ROW, "bill_lenght_mm": 40.0}, "bill_lenght_mm"),
        ("/predict/batch", {"rows": []}, "rows"),
        ("/predict/batch", {"rows": [ROW, {**ROW, "sex": "unknown"}]}, "rows[1].sex"),
    ],
)
def test_a_bad_request_is_a_422_naming_the_field(client, path, body, field):
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert response.json()["message"].startswith(f"{field}: ")
    assert client.get("/ready").status_code == 200


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
