"""The generated project's prediction API as a user runs it: `kedro serve`, real HTTP.

One server on a trained copy of the generated project answers most tests (starting one
costs seconds); tests that stop a server start their own, so any order or `-k` works. Its
new rows include missing values, so "the app agrees with the batch pipeline" covers
imputation (and missing categories) too.
"""

from __future__ import annotations

import csv
import json
import math
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import yaml

from tests.api.server_process import ServerProcess, free_port, start_server
from tests.support import KEDRO, copy_project, kedro

pytestmark = pytest.mark.e2e

SERVING_STAGE = "05_api"
NUMBERS = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")
ROW = {"island": "Dream", "bill_length_mm": 46.7, "bill_depth_mm": 17.9,
       "flipper_length_mm": 195.0, "body_mass_g": 3300.0, "sex": "female", "year": 2007}


def serve(project: Path, log: Path, *args: str, **extra_env: str) -> ServerProcess:
    port = free_port()
    return start_server([KEDRO, "serve", "--port", str(port), *args], project, log, port,
                        **extra_env)


def read_rows(path: Path) -> list[dict]:
    """CSV rows as the JSON a client would send: numbers as numbers, NA as null."""
    with path.open() as file:
        rows = list(csv.DictReader(file))
    out = []
    for row in rows:
        clean = {k: (None if v in ("NA", "") else v) for k, v in row.items()}
        for name in NUMBERS:
            clean[name] = None if clean[name] is None else float(clean[name])
        clean["year"] = int(clean["year"])
        out.append({k: v for k, v in clean.items() if k != "species"})
    return out


@pytest.fixture(scope="module")
def scored_project(trained_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained copy whose new rows include missing values, scored by the batch pipeline."""
    project = copy_project(trained_project, tmp_path_factory.mktemp("serving"))
    with (project / "data" / "01_raw" / "penguins.csv").open() as file:
        raw = list(csv.DictReader(file))
    chosen = [r for r in raw if "NA" in r.values()] + raw[::40]
    new_rows = project / "data" / "06_scoring" / "new_penguins.csv"
    with new_rows.open("w", newline="") as file:
        writer = csv.DictWriter(file, [k for k in raw[0] if k != "species"])
        writer.writeheader()
        writer.writerows({k: v for k, v in r.items() if k != "species"} for r in chosen)
    kedro(["run", "--pipelines", SERVING_STAGE], project, check=True)
    return project


@pytest.fixture(scope="module")
def server(scored_project: Path, tmp_path_factory: pytest.TempPathFactory):
    process = serve(scored_project, tmp_path_factory.mktemp("logs") / "server.log")
    yield process
    process.stop(signal.SIGKILL, timeout=10)


def test_predictions_equal_the_batch_pipelines(server, scored_project):
    rows = read_rows(scored_project / "data" / "06_scoring" / "new_penguins.csv")
    with (scored_project / "data" / "06_scoring" / "predictions.csv").open() as file:
        expected = list(csv.DictReader(file))
    assert any(None in row.values() for row in rows)

    batch = httpx.post(f"{server.base_url}/predict/batch", json={"rows": rows}, timeout=30)
    singles = [httpx.post(f"{server.base_url}/predict", json=row, timeout=30) for row in rows]

    assert batch.status_code == 200, batch.text
    assert all(single.status_code == 200 for single in singles)
    answers = batch.json()["predictions"]
    assert [a["prediction"] for a in answers] == [e["predicted_species"] for e in expected]
    assert [s.json()["prediction"] for s in singles] == [e["predicted_species"] for e in expected]
    for answer, single, row in zip(answers, singles, expected):
        for species, probability in answer["probabilities"].items():
            assert math.isclose(probability, float(row[f"probability_{species}"]), abs_tol=1e-4)
            assert probability == round(probability, 6)  # serving.probability_decimals
            # One row alone or in a batch: onnxruntime's float32 kernels may round the last
            # bits differently (a few 1e-7), not more.
            assert math.isclose(single.json()["probabilities"][species], probability,
                                abs_tol=2e-6)


def test_ready_and_model_metadata_describe_the_latest_model(server, scored_project):
    version = sorted(p.name for p in (scored_project / "models" / "model.pkl").iterdir())[-1]
    metrics = json.loads((scored_project / "data" / "05_reporting" / "metrics.json").read_text())

    ready = httpx.get(f"{server.base_url}/ready")
    info = httpx.get(f"{server.base_url}/model").json()

    assert ready.status_code == 200 and ready.json()["model_version"] == version
    assert info["model_version"] == info["transformers_version"] == version
    assert info["runtime"] == "onnx"
    assert metrics["onnx_parity"]["max_probability_difference"] < 1e-5
    assert info["metrics"] == metrics
    assert info["trained_at"].startswith(version[:10])


def _max_batch(project: Path) -> int:
    parameters = yaml.safe_load((project / "conf" / "base" / "parameters_api.yml").read_text())
    return parameters["serving"]["max_batch_size"]


BAD_REQUESTS = [
    ("wrong type", "/predict", {**ROW, "bill_depth_mm": "deep"}, 422, "bill_depth_mm"),
    ("boolean for a number", "/predict", {**ROW, "body_mass_g": False}, 422, "body_mass_g"),
    ("out of range", "/predict", {**ROW, "flipper_length_mm": 0}, 422, "flipper_length_mm"),
    ("missing field", "/predict", {k: v for k, v in ROW.items() if k != "island"}, 422,
     "island"),
    ("unknown category", "/predict", {**ROW, "sex": "unknown"}, 422, "sex"),
    ("unknown field", "/predict", {**ROW, "colour": "black"}, 422, "colour"),
    ("empty batch", "/predict/batch", {"rows": []}, 422, "rows"),
    ("bad row in a batch", "/predict/batch", {"rows": [ROW, {**ROW, "island": 3}]}, 422,
     "rows[1].island"),
    ("not an object", "/predict", [1, 2], 422, "body"),
]


@pytest.mark.parametrize("case, path, body, status, field", BAD_REQUESTS,
                         ids=[c[0] for c in BAD_REQUESTS])
def test_a_bad_request_gets_a_4xx_naming_the_field(server, case, path, body, status, field):
    response = httpx.post(f"{server.base_url}{path}", json=body)
    assert response.status_code == status
    assert response.json()["message"].startswith(f"{field}: ")


def test_an_oversized_batch_and_malformed_json_are_refused(server, scored_project):
    limit = _max_batch(scored_project)
    too_big = httpx.post(f"{server.base_url}/predict/batch", json={"rows": [ROW] * (limit + 1)})
    malformed = httpx.post(f"{server.base_url}/predict", content=b'{"island": ',
                           headers={"content-type": "application/json"})

    assert too_big.status_code == 422
    assert too_big.json()["message"] == (
        f"rows: List should have at most {limit} items after validation, not {limit + 1}"
    )
    assert malformed.status_code == 400
    assert malformed.json()["message"].startswith("body: request body is not valid JSON")


def test_a_huge_body_is_refused_with_413(server, scored_project):
    huge = b" " * (_max_batch(scored_project) * 4096 + 1)
    response = httpx.post(f"{server.base_url}/predict/batch", content=huge,
                          headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "is too large" in response.json()["message"]
    assert httpx.get(f"{server.base_url}/ready").status_code == 200


def test_a_concurrent_burst_is_answered_without_errors(server):
    distinct = [{**ROW, "bill_length_mm": 35.0 + i % 20, "sex": ("male", "female", None)[i % 3]}
                for i in range(60)]
    expected = [p["prediction"] for p in httpx.post(
        f"{server.base_url}/predict/batch", json={"rows": distinct}).json()["predictions"]]

    def client(indices: range) -> list[tuple[int, int, str]]:
        with httpx.Client(base_url=server.base_url, timeout=60) as http:
            responses = ((i, http.post("/predict", json=distinct[i % 60])) for i in indices)
            return [(i, r.status_code, r.json().get("prediction", r.text)) for i, r in responses]

    with ThreadPoolExecutor(max_workers=8) as pool:
        parts = pool.map(client, [range(start, 2000, 8) for start in range(8)])
        answers = [answer for part in parts for answer in part]

    assert len(answers) == 2000
    assert [status for _, status, _ in answers if status != 200] == []
    assert all(label == expected[i % 60] for i, _, label in answers)
    assert server.process.poll() is None


def test_sigterm_stops_the_server_cleanly(trained_project, tmp_path):
    process = serve(copy_project(trained_project, tmp_path), tmp_path / "server.log")
    assert httpx.post(f"{process.base_url}/predict", json=ROW).status_code == 200
    assert process.stop(signal.SIGTERM, timeout=30) == 0
    assert "Application shutdown complete" in process.log()
    assert "Traceback" not in process.log()


def test_without_a_trained_model_it_answers_503_saying_what_to_run(generated_project, tmp_path):
    project = copy_project(generated_project, tmp_path)
    process = serve(project, tmp_path / "server.log")
    try:
        health = httpx.get(f"{process.base_url}/health")
        ready = httpx.get(f"{process.base_url}/ready")
        predict = httpx.post(f"{process.base_url}/predict", json=ROW)
    finally:
        code = process.stop(signal.SIGINT, timeout=30)
    assert health.status_code == 200
    for response in (ready, predict):
        assert response.status_code == 503
        message = response.json()["message"]
        assert message.startswith("no trained model in models/")
        assert "run `kedro run` (stages 01-04) first" in message
    assert code == 0


def test_a_bad_serving_setting_is_one_line_naming_it(generated_project, tmp_path):
    project = copy_project(generated_project, tmp_path)
    settings = project / "conf" / "base" / "parameters_api.yml"
    settings.write_text(settings.read_text().replace("port: 8000", "port: eighty"))

    result = kedro(["serve"], project, timeout=60)

    assert result.returncode == 1
    assert "`serving.port` in conf/base/parameters_api.yml must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


REGRESSION_ROW = {k: v for k, v in {**ROW, "species": "Chinstrap"}.items()
                  if k != "body_mass_g"}


def test_regression_answers_a_number_equal_to_the_batch_pipelines(
        trained_regression_project, tmp_path):
    """`task: regression`: `{"prediction": <grams>, "model_version": ...}`, the same number
    batch scoring writes to `predicted_body_mass_g` (to float32 precision)."""
    project = copy_project(trained_regression_project, tmp_path)
    kedro(["run", "--pipelines", SERVING_STAGE], project, check=True)
    with (project / "data" / "06_scoring" / "predictions.csv").open() as file:
        expected = list(csv.DictReader(file))
    with (project / "data" / "06_scoring" / "new_penguins.csv").open() as file:
        rows = [{k: (None if v in ("NA", "") else v) for k, v in row.items()}
                for row in csv.DictReader(file)]
    for row in rows:
        for name in ("bill_length_mm", "bill_depth_mm", "flipper_length_mm"):
            row[name] = None if row[name] is None else float(row[name])
        row["year"] = int(row["year"])
    process = serve(project, tmp_path / "server.log")
    try:
        single = httpx.post(f"{process.base_url}/predict", json=REGRESSION_ROW)
        batch = httpx.post(f"{process.base_url}/predict/batch", json={"rows": rows})
        info = httpx.get(f"{process.base_url}/model").json()
        refused = httpx.post(f"{process.base_url}/predict", json={**REGRESSION_ROW,
                                                                  "species": "Emperor"})
    finally:
        assert process.stop(signal.SIGTERM, timeout=30) == 0
    assert single.status_code == 200, single.text
    assert set(single.json()) == {"prediction", "model_version"}
    assert 2500 < single.json()["prediction"] < 6500
    answers = [answer["prediction"] for answer in batch.json()["predictions"]]
    wanted = [float(row["predicted_body_mass_g"]) for row in expected]
    assert len(answers) == len(wanted) == 7
    assert all(math.isclose(a, w, rel_tol=1e-5) for a, w in zip(answers, wanted))
    assert (info["task"], info["target"], info["classes"]) == ("regression", "body_mass_g", [])
    assert set(info["metrics"]["test"]) == {"rows", "rmse", "mae", "r2"}
    assert refused.status_code == 422 and refused.json()["message"].startswith("species: ")


def test_a_contract_changed_since_training_is_not_served(trained_project, tmp_path):
    """A model trained for the species does not answer for the body mass: the server says
    which model it has and what to run."""
    project = copy_project(trained_project, tmp_path)
    contract = project / "conf" / "base" / "parameters_data_contract.yml"
    contract.write_text(contract.read_text().replace("  target: species\n  task: classification",
                                                     "  target: body_mass_g\n  task: regression"))
    process = serve(project, tmp_path / "server.log")
    try:
        ready = httpx.get(f"{process.base_url}/ready")
    finally:
        process.stop(signal.SIGTERM, timeout=30)
    assert ready.status_code == 503
    message = ready.json()["message"]
    # the promotion gate serves only versions of the current contract, and says what the
    # newest one was trained for
    assert message.startswith("no model version was trained under the current data contract")
    assert "'body_mass_g' (regression)" in message
    assert message.endswith("run `kedro run` (stages 01-04) first, then restart the server")
