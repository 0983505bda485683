"""`kedro layout use-data`, then everything a user runs, with no other edit: `kedro run`, the
project's own pytest, `kedro layout check`, and `kedro serve` answering rows of the file over
real HTTP on 127.0.0.1. For both tasks, on scikit-learn's bundled datasets (iris, wine,
breast cancer, diabetes) and on a messy table of our own (both of its targets).

A case adopts its file in a copy of the session's generated project of its family (the
classification project, or the regression one; the messy table's regression goes into the
classification project, so the estimator swap is run too). The chains of the selected cases
run two at a time (each step is its own process, so the two cores both work); each test
then reads the results of its case.
"""

from __future__ import annotations

import json
import math
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import httpx
import pandas as pd
import pytest

from kedro_ml_starter.runtime import DataContract
from tests.api.server_process import free_port, start_server
from tests.support import KEDRO, PYTHON, copy_project, run
from tests.use_data import datasets

pytestmark = pytest.mark.e2e

# case -> (the file's builder, the generated project it goes into)
CASES: dict[str, tuple[Callable[[Path], datasets.DataFile], str]] = {
    "iris": (datasets.iris, "generated_project"),
    "wine": (datasets.wine, "generated_project"),
    "breast_cancer": (datasets.breast_cancer, "generated_project"),
    "diabetes": (datasets.diabetes, "regression_project"),
    "messy_classification": (datasets.messy, "generated_project"),
    "messy_regression": (partial(datasets.messy, target="monthly spend ($)"),
                         "generated_project"),
}
STEPS = ("use-data", "run", "pytest", "check")
# What the model must reach on its eval split: it learned from the file, not just ran.
MINIMUM = {"iris": ("accuracy", 0.85), "wine": ("accuracy", 0.85),
           "breast_cancer": ("roc_auc", 0.9), "diabetes": ("r2", 0.3),
           "messy_classification": ("accuracy", 0.65), "messy_regression": ("r2", 0.8)}


@dataclass
class Adopted:
    """One case: its project, its file, and each step's finished process."""

    project: Path
    file: datasets.DataFile
    steps: dict[str, CompletedProcess[str]] = field(default_factory=dict)


def _chain(case: str, parent: Path, source: Path) -> Adopted:
    build, _ = CASES[case]
    project = copy_project(source, parent / "project")
    (parent / "files").mkdir()
    adopted = Adopted(project, build(parent / "files"))
    commands = {
        "use-data": [KEDRO, "layout", "use-data", str(adopted.file.path), "--target",
                     adopted.file.target],
        "run": [KEDRO, "run"],
        "pytest": [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        "check": [KEDRO, "layout", "check"],
    }
    for step in STEPS:
        adopted.steps[step] = run(commands[step], project, timeout=900)
        if adopted.steps[step].returncode != 0:
            break
    return adopted


@pytest.fixture(scope="module")
def adopted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, Adopted]:
    """Every selected case's chain, run two at a time."""
    selected = sorted({item.callspec.params["case"] for item in request.session.items
                       if item.module is request.module and hasattr(item, "callspec")})
    sources = {name: request.getfixturevalue(name) for name in
               {CASES[case][1] for case in selected}}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {case: pool.submit(_chain, case, tmp_path_factory.mktemp(case),
                                     sources[CASES[case][1]]) for case in selected}
        return {case: future.result() for case, future in futures.items()}


def _shown(result: CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout[-3000:]}\n--- stderr\n" \
           f"{result.stderr[-3000:]}"


@pytest.mark.parametrize("case", CASES)
def test_use_data_then_the_stages_the_tests_and_the_check_pass(adopted, case):
    result = adopted[case]
    for step in STEPS:
        assert step in result.steps, f"{step} did not run: an earlier step failed"
        assert result.steps[step].returncode == 0, f"{step}: {_shown(result.steps[step])}"
    file = result.file
    assert f"Task: {file.task} of {file.target!r}" in result.steps["use-data"].stdout
    assert "passed" in result.steps["pytest"].stdout
    assert "failed" not in result.steps["pytest"].stdout
    assert "No findings" in result.steps["check"].stdout
    contract = DataContract.load(result.project)
    assert (contract.target, contract.task) == (file.target, file.task)
    metrics = json.loads((result.project / "data/05_reporting/metrics.json").read_text())
    assert (metrics["task"], metrics["target"]) == (file.task, file.target)
    metric, minimum = MINIMUM[case]
    assert metrics["eval"][metric] >= minimum, metrics["eval"]
    assert (result.project / "data/05_reporting/evaluation.png").stat().st_size > 10_000


def _file_rows(file: datasets.DataFile) -> pd.DataFrame:
    if file.path.suffix == ".parquet":
        return pd.read_parquet(file.path)
    return pd.read_csv(file.path, sep=";" if "customers" in file.path.name else ",")


def _json_row(row: pd.Series, target: str) -> dict[str, Any]:
    """A row of the file as a client sends it: numbers, text, true/false; null if missing."""
    out = {}
    for name, value in row.items():
        if name == target:
            continue
        if not isinstance(value, str) and pd.isna(value):
            out[name] = None
        else:
            out[name] = value.item() if hasattr(value, "item") else value
    return out


@pytest.mark.parametrize("case", CASES)
def test_kedro_serve_answers_rows_of_the_file(adopted, case, tmp_path):
    result = adopted[case]
    assert result.steps.get("run") is not None and result.steps["run"].returncode == 0, \
        "kedro run did not pass (see the test above)"
    file = result.file
    contract = DataContract.load(result.project)
    frame = _file_rows(file)
    rows = frame.iloc[:: max(1, len(frame) // 40)]
    port = free_port()
    server = start_server([KEDRO, "serve", "--port", str(port)], result.project,
                          tmp_path / "server.log", port)
    try:
        base = server.base_url
        example = httpx.get(f"{base}/openapi.json").json()["components"]["schemas"]["Row"][
            "examples"][0]
        assert example == dict(contract.example)
        one = httpx.post(f"{base}/predict", json=_json_row(rows.iloc[0], file.target))
        batch = httpx.post(f"{base}/predict/batch", json={
            "rows": [_json_row(row, file.target) for _, row in rows.iterrows()]})
        shown = httpx.post(f"{base}/predict", json=example)
    finally:
        server.stop(signal.SIGTERM)
    assert one.status_code == 200, one.text
    assert batch.status_code == 200, batch.text
    assert shown.status_code == 200, shown.text
    answers = batch.json()["predictions"]
    assert answers[0]["prediction"] == one.json()["prediction"]
    truth = rows[file.target]
    if contract.classification:
        assert set(one.json()["probabilities"]) == set(contract.classes)
        assert math.isclose(sum(one.json()["probabilities"].values()), 1, abs_tol=1e-4)
        hits = sum(a["prediction"] == str(t) for a, t in zip(answers, truth, strict=True))
        assert hits / len(answers) >= MINIMUM[case][1] - 0.1, (hits, len(answers))
    else:
        predicted = pd.Series([a["prediction"] for a in answers], index=truth.index)
        assert ((predicted - truth) ** 2).mean() < truth.var()  # better than the mean
