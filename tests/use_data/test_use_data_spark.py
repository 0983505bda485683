"""`kedro layout use-data` on a generated Spark project, then everything a user runs, with no
other edit: `kedro run` (batch scoring included), the project's own pytest, `kedro layout
check`, and `kedro serve` answering rows of the file over real HTTP on 127.0.0.1.

The file is the messy customer table (a `;` CSV whose column names hold spaces, `$`, `?`
and brackets; an id, a constant, free text, a date, booleans, missing values) with its
numeric target, adopted into the classification project: the task switches, so the
estimator becomes Spark MLlib's LinearRegression. One chain, shared by the tests below
(every step starts a JVM).
"""

from __future__ import annotations

import json
import signal
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import CompletedProcess

import httpx
import pandas as pd
import pytest
import yaml

from kedro_ml_starter.runtime import DataContract
from tests.api.server_process import free_port, start_server
from tests.support import KEDRO, PYTHON, copy_project, run
from tests.use_data import datasets
from tests.use_data.test_use_data_e2e import _json_row

pytestmark = [pytest.mark.spark, pytest.mark.e2e]

TARGET = "monthly spend ($)"
STEPS = ("use-data", "run", "pytest", "check")


@dataclass
class Adopted:
    project: Path
    file: datasets.DataFile
    steps: dict[str, CompletedProcess[str]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def adopted(spark_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Adopted:
    parent = tmp_path_factory.mktemp("spark-use-data")
    project = copy_project(spark_project, parent / "project")
    (parent / "files").mkdir()
    result = Adopted(project, datasets.messy(parent / "files", target=TARGET))
    commands = {
        "use-data": [KEDRO, "layout", "use-data", str(result.file.path), "--target", TARGET],
        "run": [KEDRO, "run", "--pipelines", "__default__,05_api"],
        "pytest": [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        "check": [KEDRO, "layout", "check"],
    }
    for step in STEPS:
        result.steps[step] = run(commands[step], project, timeout=1200)
        if result.steps[step].returncode != 0:
            break
    return result


def _step(adopted: Adopted, step: str) -> CompletedProcess[str]:
    result = adopted.steps.get(step)
    assert result is not None, f"{step} did not run: an earlier step failed"
    assert result.returncode == 0, (f"{step}: exit {result.returncode}\n{result.stdout[-3000:]}"
                                    f"\n{result.stderr[-3000:]}")
    return result


def test_use_data_then_the_stages_the_tests_and_the_check_pass_on_spark(adopted: Adopted):
    summary = _step(adopted, "use-data").stdout
    assert f"Task: regression of {TARGET!r}" in summary
    assert ("`model_training.estimator` becomes pyspark.ml.regression.LinearRegression"
            in summary)
    project = adopted.project
    estimator = yaml.safe_load((project / "conf/base/parameters_model_training.yml")
                               .read_text())["model_training"]["estimator"]
    assert estimator["type"] == "pyspark.ml.regression.LinearRegression"
    assert yaml.safe_load((project / "conf/base/catalog.yml").read_text())["raw_data"][
        "load_args"] == {"header": True, "sep": ";"}
    _step(adopted, "run")
    metrics = json.loads((project / "data/05_reporting/metrics.json").read_text())
    assert (metrics["task"], metrics["target"]) == ("regression", TARGET)
    assert metrics["model_class"] == "pyspark.ml.regression.LinearRegressionModel"
    assert metrics["eval"]["r2"] >= 0.8, metrics["eval"]
    parity = metrics["onnx_parity"]  # the graph kedro serve scores, checked against Spark
    assert parity["checked"] and parity["max_relative_difference"] < 1e-5, parity
    predictions = pd.read_parquet(project / "data/06_scoring/predictions.parquet")
    assert f"predicted_{TARGET}" in predictions.columns and "age (years)" in predictions
    assert len(predictions) == len(pd.read_csv(project / "data/06_scoring/new_customers "
                                               "export.csv", sep=";"))
    tests = _step(adopted, "pytest").stdout
    assert " passed" in tests and "failed" not in tests
    assert "No findings" in _step(adopted, "check").stdout


def test_kedro_serve_answers_rows_of_the_file_with_the_onnx_graph(adopted: Adopted,
                                                                   tmp_path: Path):
    _step(adopted, "run")
    project = adopted.project
    contract = DataContract.load(project)
    frame = pd.read_csv(adopted.file.path, sep=";")
    rows = frame.iloc[::8]
    port = free_port()
    server = start_server([KEDRO, "serve", "--port", str(port)], project,
                          tmp_path / "server.log", port)
    try:
        base = server.base_url
        ready = httpx.get(f"{base}/ready", timeout=30)
        info = httpx.get(f"{base}/model", timeout=30).json()
        one = httpx.post(f"{base}/predict", json=_json_row(rows.iloc[0], TARGET), timeout=60)
        batch = httpx.post(f"{base}/predict/batch", timeout=120, json={
            "rows": [_json_row(row, TARGET) for _, row in rows.iterrows()]})
        shown = httpx.post(f"{base}/predict", json=dict(contract.example), timeout=60)
    finally:
        server.stop(signal.SIGTERM)
    assert ready.status_code == 200, ready.text
    assert info["runtime"] == "onnx", info
    assert info["model_class"] == "pyspark.ml.regression.LinearRegressionModel", info
    assert one.status_code == 200, one.text
    assert set(one.json()) == {"prediction", "model_version"}
    assert isinstance(one.json()["prediction"], float)
    assert shown.status_code == 200, shown.text
    assert batch.status_code == 200, batch.text
    answers = batch.json()["predictions"]
    assert answers[0]["prediction"] == one.json()["prediction"]
    truth = rows[TARGET]
    predicted = pd.Series([a["prediction"] for a in answers], index=truth.index)
    assert ((predicted - truth) ** 2).mean() < 0.2 * truth.var()  # far better than the mean
