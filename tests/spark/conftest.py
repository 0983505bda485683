"""Session fixtures for the Spark engine: generated Spark projects, run once and shared; a
standalone Spark cluster on 127.0.0.1, and a copy of the project run on it.

Every `kedro` command on a spark project starts a JVM (seconds), so each project is run
once per session and the tests read it (or copy it before changing anything):

- `staged_spark_project`: the classification project (`spark_project`, from
  tests/conftest.py) after each stage ran alone, in order, as a user runs them one by
  one; before 05_api its new rows gain missing values and a killed run leaves a partial
  newest version of each model, which batch scoring and the server must skip.
  `trained_spark_project` is a copy of it taken before 05_api (stages 01-04 only).
- `spark_regression_project`: a project generated with `task: regression` whose data
  then has column names with spaces and symbols, as `kedro layout use-data` writes them
  (`adopt_messy_names`); `trained_spark_regression_project`: a copy after one `kedro run`
  of every stage, batch scoring included.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from subprocess import CompletedProcess

import pandas as pd
import pytest

from kedro_ml_starter.runtime import DataContract
from tests.spark import outputs
from tests.spark.cluster import HOST, ClusterRun, StandaloneCluster
from tests.spark.environments import cluster_files, copy_inputs, write_environment
from tests.support import copy_project, kedro, new_project

STAGES = tuple(outputs.STAGE_OUTPUTS)
# The cluster's one worker; an executor of the project's cluster environment takes it all.
WORKER_CORES = 2
WORKER_MEMORY_MIB = 1024
# Every stage on the cluster in one Kedro session (one JVM start-up): stages 01-04 (the
# default pipeline) and batch scoring, which reads back the model the run saved there.
CLUSTER_RUN = ["run", "--env", "cluster", "--pipelines", "__default__,05_api"]
APP_SECONDS = 60  # a driver's application is listed as completed soon after it exits
# A version newer than any a test run saves: what a run killed while saving leaves behind.
PARTIAL = "2099-01-01T00.00.00.000Z"
PARTIAL_DATASETS = ("feature_transformers", "model", "model.onnx")
# The regression project's columns, renamed as a user's file may name them: a space, a
# dot (a struct field to Spark), a slash, brackets, a hyphen.
MESSY_NAMES = {"species": "Species", "island": "island name",
               "bill_length_mm": "bill.length (mm)", "bill_depth_mm": "bill depth/mm",
               "flipper_length_mm": "flipper-length", "body_mass_g": "body mass (g)"}


@dataclass(frozen=True)
class Staged:
    """A project after each stage ran alone: each run's result, and which stages'
    outputs existed after it (`outputs.present`)."""

    project: Path
    runs: dict[str, CompletedProcess]
    present: dict[str, set[str]]
    trained: Path | None  # a copy taken before 05_api ran, once stages 01-04 succeeded


@pytest.fixture(scope="session")
def staged_spark_project(spark_project: Path,
                         tmp_path_factory: pytest.TempPathFactory) -> Staged:
    project = copy_project(spark_project, tmp_path_factory.mktemp("spark-staged"))
    runs, present, trained = {}, {}, None
    for stage in STAGES:
        if stage == "05_api":
            trained = copy_project(project, tmp_path_factory.mktemp("spark-trained"))
            write_new_rows_with_missing_values(project)
            for dataset in PARTIAL_DATASETS:
                add_partial_version(project, dataset)
        runs[stage] = kedro(["run", "--pipelines", stage], project)
        present[stage] = outputs.present(project)
        if runs[stage].returncode != 0:
            break  # the next stages have no inputs: the stage test reports this one
    return Staged(project, runs, present, trained)


@pytest.fixture(scope="session")
def trained_spark_project(staged_spark_project: Staged) -> Path:
    """The staged project as stages 01-04 left it (no batch scoring yet)."""
    assert staged_spark_project.trained is not None, "a stage before 05_api failed"
    return staged_spark_project.trained


@pytest.fixture(scope="session")
def scored_spark_project(staged_spark_project: Staged) -> Path:
    """The staged project once every stage succeeded: trained, evaluated, scored."""
    for stage in STAGES:
        result = staged_spark_project.runs.get(stage)
        assert result is not None and result.returncode == 0, (
            f"{stage} failed:\n{result.stderr[-3000:] if result else 'not run'}")
    return staged_spark_project.project


@pytest.fixture(scope="session")
def spark_regression_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = {"project_name": "Spark Mass", "engine": "spark", "task": "regression"}
    project = new_project(tmp_path_factory.mktemp("spark-regression"), config=config)
    adopt_messy_names(project, MESSY_NAMES)
    return project


@pytest.fixture(scope="session")
def trained_spark_regression_project(spark_regression_project: Path,
                                     tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy after `kedro run --pipelines __default__,05_api` (new rows with missing
    values): every stage in one run, one JVM."""
    project = copy_project(spark_regression_project,
                           tmp_path_factory.mktemp("spark-regression-trained"))
    write_new_rows_with_missing_values(project)
    kedro(["run", "--pipelines", "__default__,05_api"], project, check=True)
    return project


def adopt_messy_names(project: Path, names: dict[str, str]) -> None:
    """Renames the raw data's columns (the raw CSV, the rows to score and the data
    contract's schema, example and target), and makes `year` a feature: what `kedro layout
    use-data` leaves for a file with these names. No code changes."""
    for path in (outputs.RAW, outputs.NEW_ROWS):
        lines = (project / path).read_text().split("\n", 1)
        header = ",".join(names.get(name, name) for name in lines[0].split(","))
        (project / path).write_text(f"{header}\n{lines[1]}")
    parameters = DataContract.load(project).to_parameters()
    schema = parameters["schema"]
    schema["columns"] = {names.get(k, k): v for k, v in schema["columns"].items()}
    contract = DataContract.from_schema(
        schema, target=names.get(parameters["target"], parameters["target"]),
        task=parameters["task"], ignored={},
        example={names.get(k, k): v for k, v in parameters["example"].items()})
    contract.save(project)


def add_partial_version(project: Path, dataset: str) -> None:
    """A copy of the newest version of models/<dataset> as version PARTIAL, without its
    completeness record: a run stopped after writing the model, before its record."""
    folder = project / "models" / dataset
    partial = folder / PARTIAL
    shutil.copytree(max(folder.iterdir()), partial)
    (partial / f"{dataset}.complete").unlink()


def write_new_rows_with_missing_values(project: Path) -> None:
    """Replaces the rows to score with raw rows without the target: every one with a
    missing value, and every 40th of the rest."""
    target = DataContract.load(project).target
    raw = outputs.read_csv(project / outputs.RAW).drop(columns=[target])
    chosen = pd.concat([raw[raw.isna().any(axis=1)], raw[::40]])
    chosen.to_csv(project / outputs.NEW_ROWS, index=False, na_rep="NA")


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory: pytest.TempPathFactory,
                  request: pytest.FixtureRequest) -> StandaloneCluster:
    """A standalone cluster (one master, one worker of 2 cores and 1 GiB) on free ports of
    127.0.0.1, shared by the cluster tests; its JVMs are stopped by PID when the session
    ends, whatever happened (the finalizer is registered before anything starts)."""
    cluster = StandaloneCluster(tmp_path_factory.mktemp("spark-cluster"), cores=WORKER_CORES,
                                memory=f"{WORKER_MEMORY_MIB}m")
    request.addfinalizer(cluster.stop)
    return cluster.start()


@pytest.fixture(scope="session")
def cluster_run(spark_cluster: StandaloneCluster, spark_project: Path,
                tmp_path_factory: pytest.TempPathFactory) -> ClusterRun:
    """The spark project with conf/cluster written as docs/spark.md says (the shared
    storage: a folder outside the project, as `file://` URLs), its shipped data copied
    there, then every stage run on the cluster: `kedro run --env cluster` with batch
    scoring."""
    project = copy_project(spark_project, tmp_path_factory.mktemp("spark-on-cluster"))
    shared = tmp_path_factory.mktemp("shared-storage")
    files = cluster_files(spark_cluster.url, spark_cluster.web_ui, shared,
                          executor_memory=f"{WORKER_MEMORY_MIB}m", partitions=WORKER_CORES)
    write_environment(project, "cluster", files["conf/cluster/spark.yml"],
                      files["conf/cluster/globals.yml"])
    inputs = tuple(copy_inputs(project, "cluster"))
    before = set(spark_cluster.completed_apps())
    result = kedro(CLUSTER_RUN, project, check=True, SPARK_LOCAL_IP=HOST)
    return ClusterRun(project, spark_cluster, shared, inputs,
                      apps=_new_apps(spark_cluster, before), log=result.stderr)


def _new_apps(cluster: StandaloneCluster, before: set[str]) -> list[str]:
    """The applications completed since `before` (the master lists one once its driver
    has gone, which can take a moment after the command exits)."""
    deadline = time.monotonic() + APP_SECONDS
    while not (new := set(cluster.completed_apps()) - before) and time.monotonic() < deadline:
        time.sleep(0.5)
    return sorted(new)
