"""A project generated with `tracking: mlflow`, run as its users run it, read back with MLflow.

`tracked_runs` (conftest) is a tracked project after `kedro run`, `kedro run --params
model_training.estimator.arguments.C=0.05` and batch scoring. Every check reads the
project's own store (`mlflow.db`, `mlruns/`) through MLflow's public API.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from kedro_ml_starter.runtime.onnx_scoring import MISSING_CATEGORY
from kedro_ml_starter.runtime.tracking import metric_values
from tests.support import kedro, run
from tests.tracking.conftest import SECOND_C
from tests.tracking.store import logged_models, search_runs, store_uri

pytestmark = pytest.mark.e2e

EXPERIMENT = "tracked_lab"
FEATURES = ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g",
            "sex"]
CATEGORIES = ["island", "sex"]


def test_two_runs_with_different_parameters_are_comparable(tracked_runs: Path):
    runs = search_runs(tracked_runs, EXPERIMENT)

    assert list(runs["status"]) == ["FINISHED", "FINISHED"]  # batch scoring made no run
    assert list(runs["params.model_training.estimator.arguments.C"]) == ["1.0", SECOND_C]
    assert list(runs["tags.kedro.pipelines"]) == ["__default__", "__default__"]
    # every stage's parameters, not only those of the nodes that ran
    for name, value in {"data_preprocessing.test_size": "0.2",
                        "feature_engineering.numeric_imputation": "median",
                        "model_training.estimator.arguments.max_iter": "1000",
                        "batch_scoring.probability_decimals": "4",
                        "serving.runtime": "onnx"}.items():
        assert list(runs[f"params.{name}"]) == [value, value], name
    assert runs["metrics.eval.accuracy"].between(0.8, 1.0).all()
    # the second run's metrics are the metrics.json it wrote, flattened
    written = metric_values(json.loads(
        (tracked_runs / "data/05_reporting/metrics.json").read_text()))
    assert {"eval.accuracy", "test.f1_macro", "eval.per_class.Gentoo.recall"} <= set(written)
    last = runs.iloc[-1]
    assert {name: last[f"metrics.{name}"] for name in written} == pytest.approx(written)


def test_the_run_holds_the_evaluation_png_and_the_data_contract(tracked_runs: Path):
    from mlflow import MlflowClient

    last = search_runs(tracked_runs, EXPERIMENT).iloc[-1]
    client = MlflowClient(store_uri(tracked_runs))

    assert [a.path for a in client.list_artifacts(last.run_id)] == ["data_contract.yml",
                                                                     "evaluation.png",
                                                                     "promotion"]
    downloaded = Path(client.download_artifacts(last.run_id, "evaluation.png",
                                                str(tracked_runs.parent)))
    png = tracked_runs / "data/05_reporting/evaluation.png"
    assert downloaded.read_bytes() == png.read_bytes()
    contract = Path(client.download_artifacts(last.run_id, "data_contract.yml",
                                              str(tracked_runs.parent)))
    assert yaml.safe_load(contract.read_text())["target"] == "species"
    assert last["params.data_contract.target"] == "species"
    assert "params.data_contract.schema.columns.island.dtype" not in last  # in the file
    assert (tracked_runs / "mlruns").is_dir()  # the artifacts live inside the project


def test_the_logged_models_load_back_with_their_signature_and_predict(tracked_runs: Path):
    """The scikit-learn pipeline scores the raw test split as stage 04 did (same accuracy);
    the ONNX graph, loaded from the registry, gives the same labels."""
    import mlflow

    last = search_runs(tracked_runs, EXPERIMENT, output_format="list")[-1]
    models = logged_models(tracked_runs, last.info)
    assert set(models) == {"model", "onnx_model"}
    split = pd.read_parquet(tracked_runs / "data/04_test/test.parquet")
    split = split.reset_index(drop=True)
    rows = split[FEATURES].astype({name: object for name in CATEGORIES})  # strings, not categories

    sklearn = mlflow.pyfunc.load_model(models["model"].model_uri)
    onnx = mlflow.pyfunc.load_model(f"models:/{EXPERIMENT}/latest")

    assert sklearn.metadata.signature.inputs.input_names() == FEATURES
    assert onnx.metadata.signature.inputs.input_names() == FEATURES
    labels = sklearn.predict(rows)
    accuracy = float((labels == split["species"].astype(str)).mean())
    assert accuracy == pytest.approx(last.data.metrics["test.accuracy"])
    graph_rows = rows.fillna({name: MISSING_CATEGORY for name in CATEGORIES})
    assert list(onnx.predict(graph_rows)["label"]) == list(labels)


def test_the_logged_model_scores_the_scoring_csv_as_pandas_reads_it(tracked_runs: Path,
                                                                     tracked_project: Path):
    """Rows straight from data/06_scoring (whole numbers read as int64, which a `double`
    in the signature refused): the logged pipeline gives the labels batch scoring wrote."""
    import mlflow

    last = search_runs(tracked_runs, EXPERIMENT, output_format="list")[-1]
    model = mlflow.pyfunc.load_model(logged_models(tracked_runs, last.info)["model"].model_uri)
    scoring = "data/06_scoring"
    shipped = {p.name for p in (tracked_project / scoring).iterdir()}
    [new_rows] = [name for name in shipped if name.endswith(".csv")]
    [written] = [p for p in (tracked_runs / scoring).iterdir() if p.name not in shipped]
    rows = pd.read_csv(tracked_runs / scoring / new_rows)
    assert "int64" in {str(dtype) for dtype in rows.dtypes}

    labels = model.predict(rows)

    predictions = pd.read_csv(written)
    [label] = [c for c in predictions.columns
               if c not in rows.columns and c != "model_version"
               and not c.startswith("probability")]
    assert list(labels) == list(predictions[label].astype(str))


def test_each_training_run_registers_a_version_of_the_onnx_graph(tracked_runs: Path):
    from mlflow import MlflowClient

    runs = search_runs(tracked_runs, EXPERIMENT, output_format="list")
    client = MlflowClient(store_uri(tracked_runs))

    versions = sorted(client.search_model_versions(f"name = '{EXPERIMENT}'"),
                      key=lambda v: int(v.version))

    assert [int(v.version) for v in versions] == [1, 2]
    assert [v.run_id for v in versions] == [r.info.run_id for r in runs]
    for version, run_ in zip(versions, runs):
        assert version.source == logged_models(tracked_runs, run_.info)["onnx_model"].model_uri


def test_preprocessing_and_features_alone_record_nothing(tracked_runs: Path, project_copy):
    """Neither stage writes the model, its graph, metrics or the plot (batch scoring, in
    `tracked_runs`, did not either)."""
    project = project_copy(tracked_runs)
    for stage in ("01_data_preprocessing", "02_feature_engineering"):
        kedro(["run", "--pipelines", stage], project, check=True)

    assert len(search_runs(project, EXPERIMENT)) == 2


@pytest.mark.parametrize("runner", ["ParallelRunner", "ThreadRunner"])
def test_other_runners_record_the_same_run(tracked_runs: Path, project_copy, runner: str):
    """Tracking logs from the main process after the run: worker processes and threads
    never touch MLflow."""
    project = project_copy(tracked_runs)

    result = kedro(["run", "--runner", runner], project)

    assert result.returncode == 0, result.stderr[-3000:]
    runs = search_runs(project, EXPERIMENT)
    assert list(runs["status"]) == ["FINISHED"] * 3
    assert runs.iloc[-1]["tags.kedro.runner"] == runner
    assert runs.iloc[-1]["metrics.eval.accuracy"] == runs.iloc[0]["metrics.eval.accuracy"]
    assert set(logged_models(project, search_runs(
        project, EXPERIMENT, output_format="list")[-1].info)) == {"model", "onnx_model"}


def test_a_failed_run_is_recorded_as_failed_with_its_parameters(tracked_runs: Path,
                                                                project_copy):
    project = project_copy(tracked_runs)

    result = kedro(["run", "--pipelines", "03_model_training",
                    "--params", "model_training.estimator.arguments.C=-1"], project)

    assert result.returncode == 1
    assert "The 'C' parameter of LogisticRegression must be" in result.stderr
    last = search_runs(project, EXPERIMENT, output_format="list")[-1]
    assert last.info.status == "FAILED"
    assert last.data.params["model_training.estimator.arguments.C"] == "-1"
    assert last.data.tags["kedro.error"].startswith("InvalidParameterError: The 'C' parameter")


def test_evaluation_alone_is_recorded_in_the_projects_store_unless_told_otherwise(
        tracked_runs: Path, project_copy, tmp_path: Path):
    """Started from a subfolder, the run still goes to `<project>/mlflow.db`; it records
    the metrics and the plot, and no model (it trained none). conf/local/tracking.yml
    overrides a key of conf/base's, and MLFLOW_TRACKING_URI the store."""
    project = project_copy(tracked_runs)
    evaluation = ["run", "--pipelines", "04_model_evaluation"]

    kedro(evaluation, project / "notebooks", check=True)
    (project / "conf/local/tracking.yml").write_text("experiment: local_experiments\n")
    kedro(evaluation, project, check=True)
    elsewhere = tmp_path / "elsewhere.db"
    kedro(evaluation, project, check=True, MLFLOW_TRACKING_URI=f"sqlite:///{elsewhere}")

    assert not list((project / "notebooks").glob("mlflow.db"))
    runs = search_runs(project, EXPERIMENT, output_format="list")
    assert len(runs) == 3
    evaluated = runs[-1]
    assert evaluated.data.tags["kedro.pipelines"] == "04_model_evaluation"
    assert "eval.accuracy" in evaluated.data.metrics
    assert evaluated.data.params["model_training.estimator.arguments.C"] == "1.0"
    assert logged_models(project, evaluated.info) == {}
    assert len(search_runs(project, "local_experiments")) == 1  # conf/local over base
    import mlflow

    mlflow.set_tracking_uri(f"sqlite:///{elsewhere}")
    assert len(mlflow.search_runs(experiment_names=["local_experiments"])) == 1


def test_layout_check_is_clean_and_git_ignores_the_store(tracked_runs: Path, project_copy):
    checked = kedro(["layout", "check"], tracked_runs)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No findings" in checked.stdout

    project = project_copy(tracked_runs)
    run(["git", "init", "-q"], project, check=True)
    listed = run(["git", "ls-files", "--others", "--exclude-standard"], project,
                 check=True).stdout.split()
    assert "conf/base/tracking.yml" in listed
    assert not [p for p in listed if p.startswith(("mlflow.db", "mlruns/", ".viz/"))]



def test_the_champion_alias_is_the_newest_promoted_version_and_runs_log_their_verdict(
        tracked_runs: Path):
    """The second run (C=0.05) is promoted or not by the shipped criteria; whichever it is,
    `champion` names the registered version holding the newest promoted model version,
    and each run's `promotion.*` tags are its verdict file."""
    from mlflow import MlflowClient

    verdicts = {path.stem: json.loads(path.read_text())
                for path in (tracked_runs / "models/verdicts").glob("*.json")}
    promoted = sorted(version for version, verdict in verdicts.items() if verdict["promoted"])
    client = MlflowClient(store_uri(tracked_runs))

    champion = client.get_model_version_by_alias(EXPERIMENT, "champion")

    assert promoted and champion.tags["kedro.model_version"] == promoted[-1]
    runs = search_runs(tracked_runs, EXPERIMENT, output_format="list")
    for run_ in runs:
        verdict = verdicts[run_.data.tags["promotion.model_version"]]
        assert run_.data.tags["promotion.promoted"] == str(verdict["promoted"]).lower()
        assert run_.data.tags["promotion.reason"] == verdict["reason"]
        logged = Path(client.download_artifacts(run_.info.run_id, "promotion/verdict.json",
                                                str(tracked_runs.parent)))
        assert json.loads(logged.read_text()) == verdict
    registered = {v.tags["kedro.model_version"] for v in
                  client.search_model_versions(f"name = '{EXPERIMENT}'")}
    assert registered == set(verdicts)  # every trained version, promoted or not, registered
