"""The promotion gate on the Spark engine: a version that loses is kept, not served.

On a copy of the trained spark project (run 1, promoted by the shipped criteria), stages
03 and 04 run again under an impossible criterion: the new Spark ML version is saved and
judged on Spark, not promoted, and the run succeeds. Batch scoring (on Spark) and `kedro
serve` (the ONNX graph, where no JVM could start) stay on run 1.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import httpx
import pytest

from tests.api.test_serving_e2e import ROW
from tests.spark import outputs
from tests.spark.test_spark_serving import _serve
from tests.support import copy_project, kedro

pytestmark = [pytest.mark.spark, pytest.mark.e2e]


def test_a_spark_version_that_loses_is_kept_and_serving_stays_on_the_promoted_one(
    trained_spark_project: Path, tmp_path: Path
):
    project = copy_project(trained_spark_project, tmp_path)
    [first] = sorted(p.name for p in (project / "models" / "model").iterdir())

    retrained = kedro(["run", "--pipelines", "03_model_training,04_model_evaluation",
                       "--params", "model_evaluation.promotion.criteria.accuracy=1.01"],
                      project, check=True)
    [_, second] = sorted(p.name for p in (project / "models" / "model").iterdir())
    verdict = json.loads((project / "models" / "verdicts" / f"{second}.json").read_text())
    scoring = kedro(["run", "--pipelines", "05_api"], project, check=True)
    predictions = outputs.read_parquet_folder(project / outputs.PREDICTIONS)
    server = _serve(project, tmp_path)
    try:
        ready = httpx.get(f"{server.base_url}/ready").json()
        answer = httpx.post(f"{server.base_url}/predict", json=ROW).json()
    finally:
        server.stop(signal.SIGTERM)

    assert not verdict["promoted"] and verdict["reason"].endswith("is below its minimum 1.01")
    assert (f"Model version {second} not promoted: {verdict['reason']}. It is kept in "
            f"models/model; serving stays on model version {first}") in retrained.stderr
    assert (project / "models" / "model" / second / "model.complete").is_file()
    assert f"Using model version {first} (the newest promoted)" in scoring.stderr
    assert set(predictions["model_version"]) == {first}
    assert ready["model_version"] == answer["model_version"] == first
    assert ready["verdict"].startswith("promoted: f1_macro ")
