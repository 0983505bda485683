"""A spark project on a real standalone Spark cluster, as docs/spark.md "On a cluster" says:
the run finishes on the cluster's executors and writes where the cluster environment
points; a cluster that cannot run it stops the run in one line, in seconds.

The cluster (tests/spark/cluster.py: one master, one worker, on 127.0.0.1) and the run
on it are session fixtures (tests/spark/conftest.py), shared by these tests.
"""

from __future__ import annotations

import json
import math
import socket
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.spark.cluster import HOST, ClusterRun, StandaloneCluster
from tests.spark.environments import (
    catalog,
    cluster_files,
    documented_cluster_files,
    paths,
    spark_settings,
    write_environment,
)
from tests.support import kedro, tree_hashes

pytestmark = [pytest.mark.spark, pytest.mark.e2e]

REPORTS = "data/05_reporting"


def test_the_cluster_environment_has_the_keys_the_docs_give(tmp_path: Path):
    documented = documented_cluster_files()
    ours = cluster_files("spark://127.0.0.1:7077", "http://127.0.0.1:8080", tmp_path, "1g", 2)
    assert {name: list(keys) for name, keys in ours.items()} == {
        name: list(keys) for name, keys in documented.items()}


def test_the_run_finishes_on_the_cluster_and_its_executors_run_the_tasks(
    cluster_run: ClusterRun,
):
    cluster = cluster_run.cluster
    settings = spark_settings(cluster_run.project, "cluster")
    [app_id] = cluster_run.apps
    app = cluster.completed_apps()[app_id]
    assert app["name"] == settings["spark.app.name"] and app["state"] == "FINISHED", app
    executors = [e for e in cluster.worker_state()["finishedexecutors"] if e["appid"] == app_id]
    assert executors, f"the worker ran no executor for {app_id}"
    tasks = sum(log.read_text(errors="replace").count("Finished task")
                for log in cluster.executor_logs(app_id))
    assert tasks > 0, "the executors' logs show no finished task"
    assert "Error:" not in cluster_run.log


def test_outputs_are_where_the_cluster_environment_puts_them(cluster_run: ClusterRun):
    """Tables and Spark ML models on the shared storage (and not in the project), what the
    driver writes itself in the project; every dataset of every stage is there."""
    project = cluster_run.project
    here, there = paths(project), paths(project, "cluster")
    entries = catalog(project, "cluster")
    shared = {name for name in there if there[name] != here[name]}
    assert set(cluster_run.inputs) < shared, (cluster_run.inputs, shared)
    for name in sorted(shared - set(cluster_run.inputs)):
        assert there[name].is_relative_to(cluster_run.shared), there[name]
        assert there[name].exists(), f"{name}: nothing at {there[name]}"
        assert not here[name].exists(), f"{name} was written in the project too: {here[name]}"
        _check_complete(there[name], bool(entries[name].get("versioned")))
    for name in sorted(set(there) - shared):
        assert here[name].exists(), f"{name}: the driver wrote nothing at {here[name]}"


def test_the_cluster_computes_what_local_mode_computes(cluster_run: ClusterRun,
                                                      trained_spark_project: Path):
    """The same reports as a local-mode run (stages 01-04), and tables of the same sizes."""
    on_cluster = paths(cluster_run.project, "cluster")
    local = paths(trained_spark_project)
    reports = [name for name, path in local.items()
               if path.suffix == ".json" and path.parent == trained_spark_project / REPORTS]
    assert reports
    for name in reports:
        _assert_same(json.loads(on_cluster[name].read_text()),
                     json.loads(local[name].read_text()), name)
    tables = [name for name, path in local.items()
              if path.is_dir() and (path / "_SUCCESS").is_file()]
    assert tables
    for name in tables:
        assert len(pd.read_parquet(on_cluster[name])) == len(pd.read_parquet(local[name])), name


@pytest.mark.parametrize("log_level", ["ERROR", "INFO"])
def test_executors_bigger_than_any_worker_stop_the_run_in_one_line(
    project_copy, spark_project: Path, spark_cluster: StandaloneCluster, log_level: str
):
    """An executor that fits no worker: no silent wait, one line with what is asked and
    what the workers offer, from the master; Spark's own log above it at INFO."""
    project = project_copy(spark_project)
    [worker] = spark_cluster.state()["workers"]
    asked = 2 * worker["memory"]
    settings = {"spark.master": spark_cluster.url, "spark.executor.memory": f"{asked}m",
                "master_web_ui": spark_cluster.web_ui, "executor_timeout": "3s"}
    if log_level != "ERROR":
        settings["spark.log.level"] = log_level
    write_environment(project, "oversized", settings)
    before = tree_hashes(project)

    result = kedro(["run", "--env", "oversized"], project, timeout=300, SPARK_LOCAL_IP=HOST)

    assert result.returncode == 1, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: no executor within 3 s on {spark_cluster.url}: an executor asks {asked} MiB "
        f"and at least 1 core, more than any of the 1 live worker(s) has, the largest "
        f"{worker['memory']} MiB and {worker['cores']} cores (the master's view: "
        f"{spark_cluster.web_ui}/json): lower spark.executor.memory (and "
        "spark.executor.cores) in conf/oversized/spark.yml to fit a worker, or start bigger "
        "workers (executor_timeout in conf/oversized/spark.yml sets this wait; "
        "spark.log.level: INFO there shows Spark's own log)"
    ], result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    spark_log = "StandaloneSchedulerBackend: Connected to Spark cluster with app ID"
    assert (spark_log in result.stderr) == (log_level == "INFO"), result.stderr[-3000:]
    assert tree_hashes(project) == before
    _assert_no_waiting_application(spark_cluster)


def test_a_master_nothing_listens_on_is_one_line_naming_it(project_copy, spark_project: Path):
    """Checked before Spark's JVM starts: no 60 s of registration retries, no py4j trace."""
    project = project_copy(spark_project)
    with socket.socket() as taken:  # bound, not listening: connections are refused
        taken.bind((HOST, 0))
        master = f"spark://{HOST}:{taken.getsockname()[1]}"
        write_environment(project, "nomaster", {"spark.master": master})
        before = tree_hashes(project)

        result = kedro(["run", "--env", "nomaster"], project, timeout=120)

    assert result.returncode == 1, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: no Spark master answers at {master} (connection refused): start it, or fix "
        "`spark.master` in conf/nomaster/spark.yml (master_timeout there sets how long to "
        "wait)"
    ], result.stderr[-3000:]
    output = result.stdout + result.stderr
    for noise in ("Traceback", "Py4J", "Setting default log level"):  # the last: a JVM
        assert noise not in output, output[-3000:]
    assert tree_hashes(project) == before


def _check_complete(path: Path, versioned: bool) -> None:
    """A versioned dataset has a version folder with content; a folder Spark wrote has
    its _SUCCESS marker; a file is not empty."""
    if versioned:
        versions = [v for v in path.iterdir() if v.is_dir()]
        assert versions and any(v.iterdir() for v in versions), path
    elif path.is_dir():
        assert (path / "_SUCCESS").is_file(), f"{path}: Spark did not finish writing it"
    else:
        assert path.stat().st_size > 0, path


def _assert_same(ours: Any, theirs: Any, where: str) -> None:
    """Equal JSON, numbers to 1e-6 (relative): one computation, scheduled two ways."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        assert ours.keys() == theirs.keys(), where
        for key in ours:
            _assert_same(ours[key], theirs[key], f"{where}.{key}")
    elif isinstance(ours, list) and isinstance(theirs, list):
        assert len(ours) == len(theirs), where
        for index, (a, b) in enumerate(zip(ours, theirs)):
            _assert_same(a, b, f"{where}[{index}]")
    elif isinstance(ours, float) or isinstance(theirs, float):
        assert math.isclose(ours, theirs, rel_tol=1e-6, abs_tol=1e-9), (where, ours, theirs)
    else:
        assert ours == theirs, (where, ours, theirs)


def _assert_no_waiting_application(cluster: StandaloneCluster) -> None:
    """The stopped session left the master: no application waits for an executor."""
    deadline = time.monotonic() + 30
    while cluster.state()["activeapps"] and time.monotonic() < deadline:
        time.sleep(0.5)
    assert cluster.state()["activeapps"] == []
