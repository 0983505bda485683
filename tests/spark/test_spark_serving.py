"""`kedro serve` on trained spark projects, over real HTTP on 127.0.0.1.

The server scores the ONNX graph stage 03 exported from the Spark ML model: no JVM (it
runs with no Java anywhere it could find one) and no pyspark (a `sitecustomize` on its
PYTHONPATH records its modules at exit). Its answers are compared with `05_api`'s
predictions.parquet row by row, on new rows that include missing values: the species of
the classification project (whose newest model version was left partial by a "killed
run", see conftest.py, which the server and batch scoring skip), and the body mass of the
regression project, whose columns have spaces and symbols in their names.
`serving.runtime: spark` still serves with Spark ML. Tests that stop a server start their
own, so any order or `-k` works.
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

from kedro_ml_starter.runtime import DataContract
from tests.api.server_process import ServerProcess, free_port, start_server
from tests.api.test_serving_runtimes import RECORDER
from tests.spark import outputs
from tests.spark.conftest import PARTIAL
from tests.support import BIN, KEDRO

pytestmark = [pytest.mark.spark, pytest.mark.e2e]

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


def request_rows(project: Path) -> list[dict]:
    """The rows to score as the JSON a client sends: named as the file names them, numbers
    as numbers, missing values as null."""
    rows = outputs.read_csv(project / outputs.NEW_ROWS).astype(object)
    return rows.where(rows.notna(), None).to_dict("records")


def _key(row: dict, contract: DataContract) -> tuple:
    """A row's inputs, comparable between a JSON request and a parquet row."""
    def value(column):
        found = row[column.name]
        if found is None or (isinstance(found, float) and math.isnan(found)):
            return None
        return float(found) if column.numeric else str(found)
    return tuple(value(column) for column in contract.request_columns)


def _batch_predictions(project: Path) -> dict[tuple, dict]:
    contract = DataContract.load(project)
    frame = outputs.read_parquet_folder(project / outputs.PREDICTIONS).astype(object)
    frame = frame.where(pd.notna(frame), None)
    return {_key(row, contract): row for row in frame.to_dict("records")}


def _assert_batch_answers(project: Path, rows: list[dict], answers: list[dict]) -> None:
    """The app's answers are the batch pipeline's (its probabilities rounded as batch
    scoring rounds them)."""
    contract = DataContract.load(project)
    expected = _batch_predictions(project)
    assert len(answers) == len(rows) > 0
    for row, answer in zip(rows, answers):
        want = expected[_key(row, contract)]
        predicted = want[contract.prediction_column]
        if not contract.classification:
            assert math.isclose(answer["prediction"], predicted, rel_tol=1e-5), row
            continue
        assert answer["prediction"] == predicted, row
        for label, probability in answer["probabilities"].items():
            assert math.isclose(round(probability, BATCH_DECIMALS),
                                want[f"probability_{label}"], abs_tol=1e-4), (row, label)


def _complete_version(project: Path, dataset: str) -> str:
    """The only complete version of models/<dataset> (the PARTIAL one has no record)."""
    return outputs.only_version(project / "models" / dataset).name


def test_ready_and_model_name_the_complete_version_and_the_onnx_runtime(
    server: ServerProcess, scored_spark_project
):
    version = _complete_version(scored_spark_project, "model")

    ready = httpx.get(f"{server.base_url}/ready", timeout=30)
    info = httpx.get(f"{server.base_url}/model", timeout=30).json()

    assert ready.status_code == 200, ready.text
    assert ready.json()["model_version"] == version
    assert info["runtime"] == "onnx"
    # Each stage ran alone: the transformers are the version stage 02 saved before.
    assert info["transformers_version"] == _complete_version(scored_spark_project,
                                                             "feature_transformers") < version
    assert info["model_class"] == "pyspark.ml.classification.LogisticRegressionModel"
    assert f"Skipping version {PARTIAL} of " in server.log()


def test_http_predictions_equal_the_batch_pipelines(server: ServerProcess, scored_spark_project):
    rows = request_rows(scored_spark_project)
    assert any(None in row.values() for row in rows)

    batch = httpx.post(f"{server.base_url}/predict/batch", json={"rows": rows}, timeout=120)
    singles = [httpx.post(f"{server.base_url}/predict", json=row, timeout=120)
               for row in rows[:5]]

    assert batch.status_code == 200, batch.text
    answers = batch.json()["predictions"]
    _assert_batch_answers(scored_spark_project, rows, answers)
    for single, answer in zip(singles, answers):
        assert single.status_code == 200, single.text
        assert single.json()["prediction"] == answer["prediction"]
        for label, probability in single.json()["probabilities"].items():
            assert math.isclose(probability, answer["probabilities"][label], abs_tol=2e-6)


def test_a_regression_with_any_column_names_is_served_as_the_batch_pipeline_scores(
    trained_spark_regression_project: Path, tmp_path: Path
):
    """A request names columns as the file does (`bill.length (mm)`, `body mass (g)`);
    the answer is a number, as batch scoring's `predicted_body mass (g)`."""
    project = trained_spark_regression_project
    rows = request_rows(project)
    assert "bill.length (mm)" in rows[0] and any(None in row.values() for row in rows)
    process = _serve(project, tmp_path)
    try:
        single = httpx.post(f"{process.base_url}/predict", json=rows[0], timeout=60)
        batch = httpx.post(f"{process.base_url}/predict/batch", json={"rows": rows},
                           timeout=120)
        schema = httpx.get(f"{process.base_url}/openapi.json", timeout=30).json()
    finally:
        process.stop(signal.SIGKILL, timeout=10)

    assert single.status_code == 200, single.text
    answer = single.json()
    assert set(answer) == {"prediction", "model_version"}
    assert isinstance(answer["prediction"], float)
    assert batch.status_code == 200, batch.text
    _assert_batch_answers(project, rows, batch.json()["predictions"])
    fields = schema["components"]["schemas"]["Row"]["properties"]
    assert list(fields) == list(rows[0])


def _bad_request(row: dict, case: str) -> tuple[str, object, str]:
    """(path, body, the field the answer names) for a request that breaks one rule."""
    if case == "wrong type":
        return "/predict", {**row, "bill_depth_mm": "deep"}, "bill_depth_mm"
    if case == "missing field":
        return "/predict", {k: v for k, v in row.items() if k != "island"}, "island"
    return "/predict/batch", {"rows": [row, {**row, "sex": "unknown"}]}, "rows[1].sex"


@pytest.mark.parametrize("case", ["wrong type", "missing field", "bad row in a batch"])
def test_a_bad_request_gets_422_naming_the_field(server: ServerProcess, scored_spark_project,
                                                 case: str):
    path, body, field = _bad_request(request_rows(scored_spark_project)[0], case)

    response = httpx.post(f"{server.base_url}{path}", json=body, timeout=30)

    assert response.status_code == 422
    assert response.json()["message"].startswith(f"{field}: ")


def test_the_server_needs_no_spark_unpickles_nothing_and_stops_cleanly_on_sigterm(
    scored_spark_project, tmp_path
):
    """It answers with no Java to be found (no JVM could start). pandera, which reads the
    data contract, imports pyspark's Python modules when pyspark is installed (it looks
    for pyspark.pandas): no session, no JVM."""
    (tmp_path / "hooks").mkdir()
    (tmp_path / "hooks" / "sitecustomize.py").write_text(RECORDER)
    report = tmp_path / "modules.json"
    process = _serve(scored_spark_project, tmp_path, PYTHONPATH=str(tmp_path / "hooks"),
                     MODULES_REPORT=str(report))
    try:
        answer = httpx.post(f"{process.base_url}/predict",
                            json=request_rows(scored_spark_project)[0], timeout=30)
    finally:
        assert process.stop(signal.SIGTERM, timeout=60) == 0
    assert answer.status_code == 200, answer.text
    assert "Application shutdown complete" in process.log()
    assert "Traceback" not in process.log(), process.log()[-3000:]
    seen = json.loads(report.read_text())
    assert "onnxruntime" in seen["modules"] and "sklearn" not in seen["modules"]
    assert "pyspark.ml" not in seen["modules"]  # no Spark ML model loaded
    assert seen["pickle_calls"] == []


def test_batch_scoring_skipped_the_partial_version_in_one_line(staged_spark_project):
    log = staged_spark_project.runs["05_api"].stderr
    models = staged_spark_project.project / "models"
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
    rows = request_rows(project)
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
    _assert_batch_answers(project, rows, batch.json()["predictions"])
    assert "Traceback" not in spark.log() and "Py4J" not in spark.log()
