"""MLflow tracking on the Spark engine: the same hooks, the same store, Spark's metrics."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from kedro_ml_starter.runtime.tracking import metric_values
from tests.support import kedro, new_project
from tests.tracking.store import logged_models, search_runs, store_uri

pytestmark = [pytest.mark.spark, pytest.mark.e2e]

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


@pytest.fixture(scope="module")
def tracked_spark_runs(trained_spark_project: Path,
                       tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Spark project generated with `tracking: mlflow`, given the data and models of the
    trained Spark project (same name, same files), after a tracked run of stage 04."""
    project = new_project(tmp_path_factory.mktemp("tracked-spark"),
                          config={"project_name": "Spark Lab", "engine": "spark",
                                  "tracking": "mlflow"})
    for folder in ("data", "models"):
        shutil.copytree(trained_spark_project / folder, project / folder, symlinks=True,
                        dirs_exist_ok=True)
    kedro(["run", "--pipelines", "04_model_evaluation"], project, check=True)
    return project


def test_a_spark_evaluation_run_records_parameters_metrics_and_the_plot(
        tracked_spark_runs: Path):
    from mlflow import MlflowClient

    [run] = search_runs(tracked_spark_runs, "spark_lab", output_format="list")

    assert run.info.status == "FINISHED"
    assert run.data.params["model_training.logistic_regression.regParam"] == "0.0001"
    assert run.data.params["feature_engineering.numeric_imputation"] == "median"
    written = metric_values(json.loads(
        (tracked_spark_runs / "data/05_reporting/metrics.json").read_text()))
    assert {name: run.data.metrics[name] for name in written} == pytest.approx(written)
    artifacts = MlflowClient(store_uri(tracked_spark_runs)).list_artifacts(run.info.run_id)
    assert [a.path for a in artifacts] == ["confusion_matrix.png"]
    assert logged_models(tracked_spark_runs, run.info) == {}  # evaluation trains nothing
    checked = kedro(["layout", "check"], tracked_spark_runs)
    assert checked.returncode == 0, checked.stdout
