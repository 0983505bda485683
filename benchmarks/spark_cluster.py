"""Local mode against a one-worker standalone cluster: the time of the same `kedro run`.

Generates a spark project with the real starter, starts a standalone cluster on 127.0.0.1
(one master and one worker with every core of this machine; the test suite's own
tests/spark/cluster.py), writes `conf/cluster` as docs/spark.md "On a cluster" says
(tests/spark/environments.py: the shipped data copied to a shared folder outside the
project), then times `kedro run` (stages 01-04, `local[*]`, conf/base) and `kedro run
--env cluster` alternately, and prints the median of each and their ratio. Time is the
wall clock of the whole command, JVM start-up included; the cluster's own start-up is
not counted. Not a test: it prints a markdown table.

    .venv/bin/python benchmarks/spark_cluster.py                 # 3 runs each (~10 min)
    .venv/bin/python benchmarks/spark_cluster.py --repeats 1 --keep /tmp/spark-cluster
    .venv/bin/python benchmarks/spark_cluster.py --repeats 1 --pipelines 01_data_preprocessing
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))
from pipeline_scale import BIN, child_env, machine, setup_step  # noqa: E402

from tests.spark.cluster import HOST, StandaloneCluster  # noqa: E402
from tests.spark.environments import (  # noqa: E402
    cluster_files,
    copy_inputs,
    write_environment,
)

PROJECT = {"project_name": "Cluster Bench", "engine": "spark"}
WORKER_MEMORY = "2g"
MODES = {"local mode (local[*])": [], "one-worker cluster": ["--env", "cluster"]}


def new_spark_project(parent: Path) -> Path:
    import yaml

    config = parent / "new.yml"
    config.write_text(yaml.safe_dump(PROJECT))
    setup_step([str(BIN / "kedro"), "new", "--starter=ml-structure", "--config", str(config)],
               parent)
    return parent / "cluster-bench"


def timed(command: list[str], project: Path, log: Path) -> float:
    """Seconds `command` took; raises with its log's tail when it fails."""
    start = time.perf_counter()
    with log.open("w") as out:
        done = subprocess.run(command, cwd=project, env=child_env() | {"SPARK_LOCAL_IP": HOST},
                              stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                              check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"error: {' '.join(command)} exited {done.returncode}:\n"
                         + log.read_text()[-3000:])
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per mode (default 3)")
    parser.add_argument("--keep", type=Path, help="keep the project, cluster and logs here")
    parser.add_argument("--pipelines", default="__default__",
                        help="what `kedro run` runs (default: stages 01-04)")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="spark-cluster-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    load_before = os.getloadavg()[0]
    project = new_spark_project(work)
    cluster = StandaloneCluster(work / "cluster", cores=cores, memory=WORKER_MEMORY)
    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    try:
        cluster.start()
        files = cluster_files(cluster.url, cluster.web_ui, work / "shared",
                              executor_memory=WORKER_MEMORY, partitions=cores)
        write_environment(project, "cluster", files["conf/cluster/spark.yml"],
                          files["conf/cluster/globals.yml"])
        copy_inputs(project, "cluster")
        for repeat in range(args.repeats):
            order = list(MODES) if repeat % 2 == 0 else list(reversed(MODES))
            for mode in order:
                log = work / f"{'cluster' if 'cluster' in mode else 'local'}-{repeat}.log"
                command = [str(BIN / "kedro"), "run", "--pipelines", args.pipelines, *MODES[mode]]
                times[mode].append(timed(command, project, log))
                print(f"{mode}: {times[mode][-1]:.1f} s", file=sys.stderr)
    finally:
        cluster.stop()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    local, on_cluster = (statistics.median(times[mode]) for mode in MODES)
    print(f"> {machine()}; pyspark {_version('pyspark')}. Load average (1 min) "
          f"{load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end. Worker: "
          f"{cores} cores, {WORKER_MEMORY}; executor {WORKER_MEMORY}; driver 1g on the cluster, "
          f"4g in local mode. `kedro run --pipelines {args.pipelines}`; median of "
          f"{args.repeats} run(s) per mode, modes alternating.\n")
    print("| mode | runs (s) | median | against local mode |")
    print("|---|---|---:|---:|")
    for mode, median in zip(MODES, (local, on_cluster)):
        runs = ", ".join(f"{t:.1f}" for t in times[mode])
        print(f"| {mode} | {runs} | {median:.1f} s | {median / local:.2f}x |")
    return 0


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    raise SystemExit(main())
