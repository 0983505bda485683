"""MLflow tracking on the Spark engine: the same hooks, the same store, Spark's metrics,
and the ONNX graph Spark's training exports, logged and registered."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from kedro_ml_starter.runtime.tracking import metric_values, parameter_values
from tests.support import kedro, new_project
from tests.tracking.store import logged_models, search_runs, store_uri

pytestmark = [pytest.mark.spark, pytest.mark.e2e]

FEATURES = ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g",
            "sex"]

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")


@pytest.fixture(scope="module")
def tracked_spark_runs(scored_spark_project: Path,
                       tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Spark project generated with `tracking: mlflow`, given the data and models of the
    trained Spark project (same name, same files), after a tracked run of stage 04, then
    one of stage 03 (training): two MLflow runs, in that order."""
    project = new_project(tmp_path_factory.mktemp("tracked-spark"),
                          config={"project_name": "Spark Lab", "engine": "spark",
                                  "tracking": "mlflow"})
    for folder in ("data", "models"):
        shutil.copytree(scored_spark_project / folder, project / folder, symlinks=True,
                        dirs_exist_ok=True)
    kedro(["run", "--pipelines", "04_model_evaluation"], project, check=True)
    kedro(["run", "--pipelines", "03_model_training"], project, check=True)
    return project


def runs_by_pipeline(project: Path) -> dict[str, object]:
    runs = search_runs(project, "spark_lab", output_format="list")
    by_pipeline = {run.data.tags["kedro.pipelines"]: run for run in runs}
    assert len(by_pipeline) == len(runs) == 2
    return by_pipeline


def test_a_spark_evaluation_run_records_parameters_metrics_and_the_plot(
        tracked_spark_runs: Path):
    from mlflow import MlflowClient

    run = runs_by_pipeline(tracked_spark_runs)["04_model_evaluation"]

    assert run.info.status == "FINISHED"
    assert run.data.params["model_training.estimator.arguments.regParam"] == "0.0001"
    assert run.data.params["feature_engineering.numeric_imputation"] == "median"
    written = metric_values(json.loads(
        (tracked_spark_runs / "data/05_reporting/metrics.json").read_text()))
    assert {name: run.data.metrics[name] for name in written} == pytest.approx(written)
    artifacts = MlflowClient(store_uri(tracked_spark_runs)).list_artifacts(run.info.run_id)
    assert [a.path for a in artifacts] == ["data_contract.yml", "evaluation.png", "promotion"]
    # the promotion gate's verdict, judged on Spark, logged as a pandas project's is
    version = run.data.tags["promotion.model_version"]
    verdict = json.loads(
        (tracked_spark_runs / "models/verdicts" / f"{version}.json").read_text())
    assert run.data.tags["promotion.promoted"] == str(verdict["promoted"]).lower()
    assert run.data.tags["promotion.reason"] == verdict["reason"]
    assert logged_models(tracked_spark_runs, run.info) == {}  # evaluation trains nothing
    checked = kedro(["layout", "check"], tracked_spark_runs)
    assert checked.returncode == 0, checked.stdout


def test_a_spark_training_run_logs_every_parameter_and_registers_the_onnx_graph(
        tracked_spark_runs: Path):
    """Stage 03 on Spark fits no scikit-learn model: the run holds the ONNX graph the
    stage exported, with the graph's signature, registered as a new model version."""
    import mlflow
    from mlflow import MlflowClient

    run = runs_by_pipeline(tracked_spark_runs)["03_model_training"]
    parameters: dict[str, object] = {}
    for path in sorted((tracked_spark_runs / "conf/base").glob("parameters*.yml")):
        parameters.update(yaml.safe_load(path.read_text()) or {})
    models = logged_models(tracked_spark_runs, run.info)
    client = MlflowClient(store_uri(tracked_spark_runs))
    [version] = client.search_model_versions("name = 'spark_lab'")

    assert run.info.status == "FINISHED"
    assert run.data.params == parameter_values(parameters)
    assert "model_training.estimator.arguments.regParam" in run.data.params
    assert set(models) == {"onnx_model"}
    graph = mlflow.pyfunc.load_model(f"models:/spark_lab/{version.version}")
    signature = graph.metadata.signature
    onnx_file = max((tracked_spark_runs / "models/model.onnx").glob("*/model.onnx"))
    import onnx

    saved = onnx.load_model(str(onnx_file))
    assert signature.inputs.input_names() == [i.name for i in saved.graph.input]
    assert signature.inputs.input_names() == FEATURES
    assert signature.outputs.input_names() == [o.name for o in saved.graph.output]
    assert (version.run_id, version.source) == (run.info.run_id, models["onnx_model"].model_uri)
