"""A real standalone Spark cluster on 127.0.0.1: one master and one worker, started from
pyspark's own `bin/spark-class` (pyspark brings Spark; nothing else to download).

Every port is a free loopback port (the master's, the worker's and both web UIs), the
master's REST submission port is off, and each JVM runs in a process group of its own,
led by the PID `start` got: `stop` ends each group (the worker's executors are in the
worker's) by that PID, SIGTERM first, then SIGKILL. The JVMs also get SIGTERM when the
process that started them dies (Linux's parent-death signal), so a killed test run leaves
no JVM behind either. Used by tests/spark/conftest.py and benchmarks/spark_cluster.py.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
HOST = "127.0.0.1"
START_SECONDS = 180  # JVM start-up on a loaded 2-core machine takes tens of seconds
STOP_SECONDS = 20


def spark_home() -> Path:
    """The Spark that pyspark installed: its package folder holds bin/, jars/, sbin/."""
    import pyspark

    return Path(pyspark.__file__).parent


def free_ports(count: int) -> list[int]:
    """`count` distinct loopback ports that nothing listens on (held open together while
    they are chosen, so none is picked twice)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """PR_SET_PDEATHSIG: SIGTERM this JVM when the test process dies (Linux only)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


@dataclass
class StandaloneCluster:
    """One master and one worker (`cores`, `memory` as `--memory` takes it) under `root`:
    logs in root/logs, executors' work folders (and their stderr) in root/work."""

    root: Path
    cores: int = 2
    memory: str = "1g"
    master_port: int = 0
    master_ui_port: int = 0
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"spark://{HOST}:{self.master_port}"

    @property
    def web_ui(self) -> str:
        return f"http://{HOST}:{self.master_ui_port}"

    @property
    def work_dir(self) -> Path:
        return self.root / "work"

    def env(self) -> dict[str, str]:
        """What the JVMs run with: pyspark's Spark, loopback only, small daemon heaps, no
        spark-defaults.conf or spark-env.sh from the machine."""
        out = dict(os.environ)
        out.update(SPARK_HOME=str(spark_home()), SPARK_LOCAL_IP=HOST,
                   SPARK_CONF_DIR=str(self.root / "conf"), SPARK_LOG_DIR=str(self.root / "logs"),
                   SPARK_DAEMON_MEMORY="256m")
        return out

    def start(self) -> StandaloneCluster:
        """Starts the master, then the worker, and returns once the master lists the
        worker as alive; raises with the JVMs' logs when they do not get there."""
        for folder in ("conf", "logs", "work"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        properties = self.root / "conf" / "daemons.properties"
        properties.write_text("spark.master.rest.enabled false\n")
        self.master_port, self.master_ui_port, worker_port, worker_ui_port = free_ports(4)
        self._launch("master", MASTER_CLASS, "--host", HOST, "--port", str(self.master_port),
                     "--webui-port", str(self.master_ui_port),
                     "--properties-file", str(properties))
        self._launch("worker", WORKER_CLASS, "--host", HOST, "--port", str(worker_port),
                     "--webui-port", str(worker_ui_port), "--cores", str(self.cores),
                     "--memory", self.memory, "--work-dir", str(self.work_dir),
                     "--properties-file", str(properties), self.url)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            self._check_running()
            state = self.state(quiet=True)
            if state and any(w.get("state") == "ALIVE" for w in state.get("workers", [])):
                return self
            time.sleep(0.5)
        raise RuntimeError(f"the worker did not register within {START_SECONDS} s\n"
                           + self.logs())

    def _launch(self, name: str, main_class: str, *args: str) -> None:
        log = (self.root / "logs" / f"{name}.out").open("wb")
        self.processes[name] = subprocess.Popen(
            [str(spark_home() / "bin" / "spark-class"), main_class, *args],
            cwd=self.root, env=self.env(), stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
        )
        log.close()

    def _check_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"the {name} exited with {process.returncode}\n"
                                   + self.logs())

    def state(self, quiet: bool = False) -> dict[str, Any] | None:
        """The master's `/json` view (what its web UI shows: workers, applications)."""
        return _get_json(f"{self.web_ui}/json/", quiet)

    def worker_state(self) -> dict[str, Any]:
        """The worker's `/json` view: its executors, running and finished, by application."""
        [worker] = self.state()["workers"]
        return _get_json(f"{worker['webuiaddress']}/json/")

    def completed_apps(self) -> dict[str, dict[str, Any]]:
        return {app["id"]: app for app in self.state()["completedapps"]}

    def executor_logs(self, app_id: str) -> list[Path]:
        """The stderr of each executor the worker ran for `app_id` (Spark's executor log)."""
        return sorted((self.work_dir / app_id).glob("*/stderr"))

    def logs(self) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
                         for path in sorted((self.root / "logs").glob("*")))

    def stop(self) -> None:
        """Ends the worker's process group (the worker and its executors), then the
        master's, by the PIDs `start` got; waits for each to be gone."""
        for name in ("worker", "master"):
            process = self.processes.pop(name, None)
            if process is not None:
                _end_group(process)


def _end_group(process: subprocess.Popen) -> None:
    """SIGTERM to the process group `process` leads, SIGKILL to what is left after
    STOP_SECONDS; returns when no process of the group is left."""
    group = process.pid  # start_new_session: the JVM leads its own group
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline:
            process.poll()
            if not _group_alive(group):
                return
            time.sleep(0.2)
    process.wait(timeout=STOP_SECONDS)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of the group that is not ours: still there
        return True
    return True


def _get_json(url: str, quiet: bool = False) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)
    except (OSError, ValueError):
        if quiet:
            return None
        raise


@dataclass(frozen=True)
class ClusterRun:
    """A copy of the spark project run on `cluster` with its `cluster` environment:
    `shared` is the storage the environment points at, `inputs` the datasets copied there
    first, `apps` the ids of the applications the run registered with the master, `log`
    the run's stderr."""

    project: Path
    cluster: StandaloneCluster
    shared: Path
    inputs: tuple[str, ...]
    apps: list[str]
    log: str
