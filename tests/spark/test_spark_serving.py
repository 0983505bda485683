"""`kedro serve` on a trained spark project, over real HTTP on 127.0.0.1.

The server scores the ONNX graph stage 03 exported from the Spark ML model: no JVM (it
runs with no Java anywhere it could find one) and no pyspark (a `sitecustomize` on its
PYTHONPATH records its modules at exit). Its answers are compared with `05_api`'s
predictions.parquet row by row, on new rows that include missing values; the project's
newest model version was left partial by a "killed run" (see conftest.py), which the
server and batch scoring skip. `serving.runtime: spark` still serves with Spark ML. Tests
that stop a server start their own, so any order or `-k` works.
"""

from __future__ import annotations

import json
import math
import os
import signal
from pathlib import Path

import httpx
import pandas as pd
import pytest
import yaml

from tests.api.server_process import ServerProcess, free_port, start_server
from tests.api.test_serving_e2e import ROW, read_rows
from tests.api.test_serving_runtimes import RECORDER
from tests.spark import outputs
from tests.spark.conftest import PARTIAL
from tests.support import BIN, KEDRO

pytestmark = [pytest.mark.spark, pytest.mark.e2e]

INPUTS = ["island", *outputs.NUMBERS, "sex", "year"]
BATCH_DECIMALS = 4  # conf/base/parameters_api.yml, batch_scoring.probability_decimals


def _no_java_path() -> str:
    kept = [d for d in os.environ.get("PATH", "").split(os.pathsep)
            if d and not (Path(d) / "java").exists()]
    return os.pathsep.join([str(BIN), *kept])


def _serve(project: Path, folder: Path, **extra_env: str) -> ServerProcess:
    """`kedro serve` on `project` where no JVM could start: no java on PATH, a JAVA_HOME
    without one."""
    port = free_port()
    return start_server([KEDRO, "serve", "--port", str(port)], project, folder / "server.log",
                        port, PATH=_no_java_path(), JAVA_HOME=str(folder / "no-java"),
                        **extra_env)


@pytest.fixture(scope="module")
def server(scored_spark_project: Path, tmp_path_factory: pytest.TempPathFactory):
    process = _serve(scored_spark_project, tmp_path_factory.mktemp("spark-serve"))
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


def _complete_version(project: Path, dataset: str) -> str:
    return next(p.name for p in sorted((project / "models" / dataset).iterdir())
                if p.name != PARTIAL)


def test_ready_and_model_name_the_complete_version_and_the_onnx_runtime(
    server: ServerProcess, scored_spark_project
):
    version = _complete_version(scored_spark_project, "model")
    metrics = json.loads((scored_spark_project / "data/05_reporting/metrics.json").read_text())

    ready = httpx.get(f"{server.base_url}/ready", timeout=30)
    info = httpx.get(f"{server.base_url}/model", timeout=30).json()

    assert ready.status_code == 200, ready.text
    assert ready.json()["model_version"] == version
    assert info["runtime"] == "onnx" and info["transformers_version"] == version
    assert info["model_class"] == "pyspark.ml.classification.LogisticRegressionModel"
    assert metrics["onnx_parity"]["max_probability_difference"] < 1e-5
    assert f"Skipping version {PARTIAL} of " in server.log()


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
        for species, probability in single.json()["probabilities"].items():
            assert math.isclose(probability, answer["probabilities"][species], abs_tol=2e-6)


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/predict", {**ROW, "bill_depth_mm": "deep"}, "bill_depth_mm"),
    ("/predict", {k: v for k, v in ROW.items() if k != "island"}, "island"),
    ("/predict/batch", {"rows": [ROW, {**ROW, "sex": "unknown"}]}, "rows[1].sex"),
], ids=["wrong type", "missing field", "bad row in a batch"])
def test_a_bad_request_gets_422_naming_the_field(server: ServerProcess, path, body, field):
    response = httpx.post(f"{server.base_url}{path}", json=body, timeout=30)

    assert response.status_code == 422
    assert response.json()["message"].startswith(f"{field}: ")


def test_the_server_imports_no_pyspark_and_stops_cleanly_on_sigterm(scored_spark_project,
                                                                   tmp_path):
    (tmp_path / "hooks").mkdir()
    (tmp_path / "hooks" / "sitecustomize.py").write_text(RECORDER)
    report = tmp_path / "modules.json"
    process = _serve(scored_spark_project, tmp_path, PYTHONPATH=str(tmp_path / "hooks"),
                     MODULES_REPORT=str(report))
    try:
        answer = httpx.post(f"{process.base_url}/predict", json=ROW, timeout=30)
    finally:
        assert process.stop(signal.SIGTERM, timeout=60) == 0
    assert answer.status_code == 200, answer.text
    assert "Application shutdown complete" in process.log()
    assert "Traceback" not in process.log(), process.log()[-3000:]
    seen = json.loads(report.read_text())
    assert "onnxruntime" in seen["modules"]
    assert [m for m in seen["modules"] if m.split(".")[0] in ("pyspark", "py4j")] == []
    assert seen["pickle_calls"] == []


def test_batch_scoring_skipped_the_partial_version_in_one_line(scored_spark_project):
    log = (scored_spark_project.parent / "scoring.log").read_text()
    models = scored_spark_project / "models"
    for dataset in ("model", "feature_transformers"):
        assert (f"Skipping version {PARTIAL} of {models / dataset}: {dataset} has no "
                "completeness record (a run stopped while saving it)") in log
    assert "Traceback" not in log


def test_the_spark_runtime_serves_the_spark_ml_pipeline(project_copy, scored_spark_project,
                                                        tmp_path):
    """For a model onnxmltools cannot convert: the batch pipeline's answers, on Spark."""
    project = project_copy(scored_spark_project)
    settings = project / "conf/base/parameters_api.yml"
    assert yaml.safe_load(settings.read_text())["serving"]["runtime"] == "onnx"
    settings.write_text(settings.read_text().replace("runtime: onnx", "runtime: spark"))
    rows = read_rows(project / "data/06_scoring/new_penguins.csv")
    expected = _batch_predictions(project)
    port = free_port()
    spark = start_server([KEDRO, "serve", "--port", str(port)], project,
                         tmp_path / "server.log", port, timeout=300)
    try:
        info = httpx.get(f"{spark.base_url}/model", timeout=30).json()
        batch = httpx.post(f"{spark.base_url}/predict/batch", json={"rows": rows}, timeout=120)
    finally:
        assert spark.stop(signal.SIGTERM, timeout=60) == 0

    assert info["runtime"] == "spark"
    assert info["model_version"] == _complete_version(project, "model")
    assert batch.status_code == 200, batch.text
    for row, answer in zip(rows, batch.json()["predictions"]):
        want = expected[_key(row)]
        assert answer["prediction"] == want["predicted_species"], row
        for species, probability in answer["probabilities"].items():
            assert math.isclose(round(probability, BATCH_DECIMALS),
                                want[f"probability_{species}"], abs_tol=1e-4), (row, species)
    assert "Traceback" not in spark.log() and "Py4J" not in spark.log()
