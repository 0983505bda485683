"""`kedro serve` on a trained spark project, over real HTTP on 127.0.0.1.

The server scores each request on Spark with the transformers and model the batch
pipeline used, so the parity test compares it with `05_api`'s predictions.parquet row by
row, on new rows that include missing values. The last test stops the server.
"""

from __future__ import annotations

import math
import signal
from pathlib import Path

import httpx
import pandas as pd
import pytest

from tests.api.server_process import ServerProcess, free_port, start_server
from tests.api.test_serving_e2e import ROW, read_rows
from tests.spark import outputs
from tests.support import KEDRO

pytestmark = [pytest.mark.spark, pytest.mark.e2e]

INPUTS = ["island", *outputs.NUMBERS, "sex", "year"]
BATCH_DECIMALS = 4  # conf/base/parameters_api.yml, batch_scoring.probability_decimals


@pytest.fixture(scope="module")
def server(scored_spark_project: Path, tmp_path_factory: pytest.TempPathFactory):
    port = free_port()
    log = tmp_path_factory.mktemp("spark-serve") / "server.log"
    process = start_server([KEDRO, "serve", "--port", str(port)], scored_spark_project, log,
                           port, timeout=240)
    yield process
    process.stop(signal.SIGKILL, timeout=10)


def _key(row: dict) -> tuple:
    """A row's inputs, comparable between a JSON request and a parquet row."""
    return tuple(None if row[name] is None or (isinstance(row[name], float)
                                               and math.isnan(row[name]))
                 else (float(row[name]) if name in outputs.NUMBERS else row[name])
                 for name in INPUTS)


def _batch_predictions(project: Path) -> dict[tuple, dict]:
    frame = outputs.read_parquet_folder(project / outputs.PREDICTIONS).astype(object)
    frame = frame.where(pd.notna(frame), None)
    return {_key(row): row for row in frame.to_dict("records")}


def test_ready_names_the_latest_model_version(server: ServerProcess, scored_spark_project):
    version = outputs.only_version(scored_spark_project / "models/model").name

    ready = httpx.get(f"{server.base_url}/ready", timeout=30)

    assert ready.status_code == 200, ready.text
    assert ready.json()["model_version"] == version


def test_http_predictions_equal_the_batch_pipelines(server: ServerProcess, scored_spark_project):
    rows = read_rows(scored_spark_project / "data/06_scoring/new_penguins.csv")
    expected = _batch_predictions(scored_spark_project)
    assert any(None in row.values() for row in rows)
    assert len(outputs.check_predictions(scored_spark_project)) == len(rows)

    batch = httpx.post(f"{server.base_url}/predict/batch", json={"rows": rows}, timeout=120)
    singles = [httpx.post(f"{server.base_url}/predict", json=row, timeout=120)
               for row in rows[:5]]

    assert batch.status_code == 200, batch.text
    answers = batch.json()["predictions"]
    assert len(answers) == len(rows)
    for row, answer in zip(rows, answers):
        want = expected[_key(row)]
        assert answer["prediction"] == want["predicted_species"], row
        for species, probability in answer["probabilities"].items():
            assert math.isclose(round(probability, BATCH_DECIMALS),
                                want[f"probability_{species}"], abs_tol=1e-4), (row, species)
    for single, answer in zip(singles, answers):
        assert single.status_code == 200, single.text
        assert single.json()["prediction"] == answer["prediction"]
        assert single.json()["probabilities"] == answer["probabilities"]


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/predict", {**ROW, "bill_depth_mm": "deep"}, "bill_depth_mm"),
    ("/predict", {k: v for k, v in ROW.items() if k != "island"}, "island"),
    ("/predict/batch", {"rows": [ROW, {**ROW, "sex": "unknown"}]}, "rows[1].sex"),
], ids=["wrong type", "missing field", "bad row in a batch"])
def test_a_bad_request_gets_422_naming_the_field(server: ServerProcess, path, body, field):
    response = httpx.post(f"{server.base_url}{path}", json=body, timeout=30)

    assert response.status_code == 422
    assert response.json()["message"].startswith(f"{field}: ")


def test_sigterm_stops_the_server_cleanly(server: ServerProcess):
    assert server.stop(signal.SIGTERM, timeout=60) == 0
    log = server.log()
    assert "Application shutdown complete" in log
    assert "Traceback" not in log and "Py4J" not in log, log[-3000:]

