"""The promotion gate on the Spark engine, both tasks: a version that loses is kept, not
served.

On a copy of a trained Spark project (run 1, promoted by the shipped criteria: it beat
the naive baseline, fitted and scored on Spark), stages 03 and 04 run again under an
impossible criterion: the new Spark ML version is saved, compared on Spark with run 1
(its own transformers on this run's eval split), not promoted, and the run succeeds.
Batch scoring (on Spark) and `kedro serve` (the ONNX graph, where no JVM could start)
stay on run 1.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import httpx
import pytest

from kedro_ml_starter.runtime import DataContract
from tests.spark import outputs
from tests.spark.test_spark_serving import _serve
from tests.support import copy_project, kedro

pytestmark = [pytest.mark.spark, pytest.mark.e2e]

# Per task: the trained project's fixture, its primary metric, and a criterion no model
# meets (a minimum above the best score there is).
TASKS = {
    "classification": ("trained_spark_project", "f1_macro", "accuracy"),
    "regression": ("trained_spark_regression_project", "rmse", "r2"),
}


def _verdict(project: Path, version: str) -> dict:
    return json.loads((project / "models" / "verdicts" / f"{version}.json").read_text())


def _example(project: Path) -> dict:
    """The data contract's example row, as a client sends it (the target left out)."""
    contract = DataContract.load(project)
    return {k: v for k, v in contract.example.items() if k != contract.target}


@pytest.mark.parametrize("task", list(TASKS))
def test_a_spark_version_that_loses_is_kept_and_serving_stays_on_the_promoted_one(
    task: str, request: pytest.FixtureRequest, tmp_path: Path
):
    fixture, primary, impossible = TASKS[task]
    project = copy_project(request.getfixturevalue(fixture), tmp_path)
    [first] = sorted(p.name for p in (project / "models" / "model").iterdir())
    run_1 = _verdict(project, first)

    retrained = kedro(["run", "--pipelines", "03_model_training,04_model_evaluation",
                       "--params", f"model_evaluation.promotion.criteria.{impossible}=1.01"],
                      project, check=True)
    [_, second] = sorted(p.name for p in (project / "models" / "model").iterdir())
    verdict = _verdict(project, second)
    scoring = kedro(["run", "--pipelines", "05_api"], project, check=True)
    predictions = outputs.read_parquet_folder(project / outputs.PREDICTIONS)
    server = _serve(project, tmp_path)
    try:
        ready = httpx.get(f"{server.base_url}/ready").json()
        answer = httpx.post(f"{server.base_url}/predict", json=_example(project)).json()
    finally:
        server.stop(signal.SIGTERM)

    # Run 1: better than the naive baseline Spark fitted, and nothing to compare with.
    assert run_1["promoted"], run_1["reason"]
    assert run_1["reason"].startswith(f"{primary} ")
    assert " of the naive baseline; no promoted version to compare with yet" in run_1["reason"]
    # Run 2: kept, not promoted, and compared on Spark with run 1 on the same rows.
    assert not verdict["promoted"]
    assert verdict["reason"].startswith(f"{impossible} ")
    assert verdict["reason"].endswith(" is below its minimum 1.01")
    kinds = {check["kind"]: check for check in verdict["checks"]}
    assert set(kinds) == {"minimum", "better than naive", "no worse than promoted"}
    assert kinds["no worse than promoted"]["against"] == first
    assert kinds["no worse than promoted"]["metric"] == primary
    assert (f"Model version {second} not promoted: {verdict['reason']}. It is kept in "
            f"models/model; serving stays on model version {first}") in retrained.stderr
    assert (project / "models" / "model" / second / "model.complete").is_file()
    # Batch scoring and the server stay on run 1.
    assert f"Using model version {first} (the newest promoted)" in scoring.stderr
    assert set(predictions["model_version"]) == {first}
    assert ready["model_version"] == answer["model_version"] == first
    assert ready["verdict"].startswith(f"promoted: {primary} ")
