"""Session fixtures for the Spark engine: trained copies of `spark_project` (the generated
spark project, from tests/conftest.py), one of them also scored on new rows; a standalone
Spark cluster on 127.0.0.1, and a copy of the project run on it.

Every `kedro` command on a spark project starts a JVM (seconds), so the tests share these
projects and copy them before changing anything.
"""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import pytest

from tests.spark.cluster import HOST, ClusterRun, StandaloneCluster
from tests.spark.environments import cluster_files, copy_inputs, write_environment
from tests.support import copy_project, kedro

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


@pytest.fixture(scope="session")
def trained_spark_project(spark_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the spark project after a full `kedro run --runner ThreadRunner` (stages
    01-04, independent nodes in parallel threads sharing the session; 05_api runs by name).
    test_spark_stages.py compares its results with a stage-by-stage sequential run."""
    project = copy_project(spark_project, tmp_path_factory.mktemp("spark-trained"))
    kedro(["run", "--runner", "ThreadRunner"], project, check=True)
    return project


@pytest.fixture(scope="session")
def scored_spark_project(trained_spark_project: Path,
                         tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained copy whose new rows include missing values, scored by `05_api` on Spark,
    after a killed run left a partial newest version of each model (`add_partial_version`).
    The scoring run's log is `scoring.log` next to the project folder."""
    project = copy_project(trained_spark_project, tmp_path_factory.mktemp("spark-scored"))
    write_new_rows_with_missing_values(project)
    for dataset in PARTIAL_DATASETS:
        add_partial_version(project, dataset)
    result = kedro(["run", "--pipelines", "05_api"], project, check=True)
    (project.parent / "scoring.log").write_text(result.stderr)
    return project


def add_partial_version(project: Path, dataset: str) -> None:
    """A copy of the newest version of models/<dataset> as version PARTIAL, without its
    completeness record: a run stopped after writing the model, before its record."""
    folder = project / "models" / dataset
    partial = folder / PARTIAL
    shutil.copytree(max(folder.iterdir()), partial)
    (partial / f"{dataset}.complete").unlink()


def write_new_rows_with_missing_values(project: Path) -> None:
    """Replaces data/06_scoring/new_penguins.csv with raw rows, the ones with an NA among them."""
    with (project / "data" / "01_raw" / "penguins.csv").open(newline="") as file:
        raw = list(csv.DictReader(file))
    chosen = [r for r in raw if "NA" in r.values()] + raw[::40]
    with (project / "data" / "06_scoring" / "new_penguins.csv").open("w", newline="") as file:
        writer = csv.DictWriter(file, [k for k in raw[0] if k != "species"])
        writer.writeheader()
        writer.writerows({k: v for k, v in r.items() if k != "species"} for r in chosen)


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
