"""Failing fast on a cluster, without a JVM: the settings spark.yml gives the checks, the
master reached (or not) over real loopback sockets, and the one line that says why no
executor came, from a master's `/json` view served over real HTTP on 127.0.0.1.

The same checks against a real standalone cluster: tests/spark/test_spark_cluster.py.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import pytest

from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime import spark_cluster
from kedro_ml_starter.runtime.spark_cluster import (
    Asked,
    ClusterChecks,
    MasterUnreachable,
    NoExecutors,
    check_master,
    cluster_checks,
    offer,
    standalone_masters,
    wait_for_executors,
)

CONF = "conf/cluster/spark.yml"
LOWER = "lower it"


def worker(memory: int, cores: int, used_memory: int = 0, used_cores: int = 0,
           state: str = "ALIVE") -> dict[str, Any]:
    """A worker as a master's `/json` view lists it (memory in MiB)."""
    return {"state": state, "memory": memory, "cores": cores,
            "memoryfree": memory - used_memory, "coresfree": cores - used_cores}


class Session:
    """What the checks use of a SparkSession: its context's master, conf, application id
    and executor count; `stopped` says whether the checks stopped it."""

    def __init__(self, master: str, conf: dict[str, str] | None = None, executors: int = 0):
        self.stopped = False
        status = SimpleNamespace(size=lambda: executors + 1)  # the driver is listed too
        conf = {"spark.master": master, **(conf or {})}
        self.sparkContext = SimpleNamespace(
            master=master, applicationId="app-1",
            getConf=lambda: SimpleNamespace(get=lambda key, default=None: conf.get(key, default)),
            _jsc=SimpleNamespace(sc=lambda: SimpleNamespace(getExecutorMemoryStatus=lambda: status)),
        )

    def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def master_ui() -> Iterator[SimpleNamespace]:
    """A master web UI on a free loopback port that serves `.state` (a dict the test
    fills) at /json/, as Spark's does; `.url` is where it listens."""
    state: dict[str, Any] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = json.dumps(state).encode()
            self.send_response(200 if self.path == "/json/" else 404)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(state=state, url=f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    server.server_close()


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A loopback port held bound and not listening: every connection is refused."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        yield taken.getsockname()[1]


# -- settings ------------------------------------------------------------------------------


def test_the_checks_settings_leave_sparks_and_take_durations_as_spark_writes_them():
    checks, spark = cluster_checks({"spark.master": "spark://h:7077", "master_timeout": "1.5min",
                                    "executor_timeout": "500ms",
                                    "master_web_ui": "http://h:8080/"}, CONF)
    assert spark == {"spark.master": "spark://h:7077"}
    assert checks == ClusterChecks(90.0, 0.5, "http://h:8080", CONF)
    assert cluster_checks({"executor_timeout": 30}, CONF)[0].executor_timeout == 30.0
    assert cluster_checks({"executor_timeout": "2h"}, CONF)[0].executor_timeout == 7200.0
    defaults, _ = cluster_checks({}, CONF)
    assert (defaults.master_timeout, defaults.executor_timeout) == (10.0, 120.0)


@pytest.mark.parametrize("value", ["soon", True, -5, "10 parsecs"])
def test_a_duration_that_is_none_is_one_line_naming_the_file(value: Any):
    with pytest.raises(UserError) as error:
        cluster_checks({"executor_timeout": value}, CONF)
    assert error.value.message == (
        f"{CONF}: executor_timeout must be a duration such as 30s or 2min, not {value!r}")


def test_standalone_masters_are_read_from_spark_master():
    assert standalone_masters("spark://a.example.com:7077,b.example.com:7078") == [
        ("a.example.com", 7077), ("b.example.com", 7078)]
    assert standalone_masters("spark://master") == [("master", 7077)]
    assert standalone_masters("spark://[::1]:7077") == [("::1", 7077)]
    for other in (None, "local[*]", "yarn", "k8s://https://api:6443", "spark://host:port"):
        assert standalone_masters(other) == []


# -- the master ----------------------------------------------------------------------------


def test_a_master_nothing_listens_on_is_one_line(refused_port: int):
    master = f"spark://127.0.0.1:{refused_port}"
    with pytest.raises(MasterUnreachable) as error:
        check_master(master, ClusterChecks(config_file=CONF))
    assert error.value.message == (
        f"no Spark master answers at {master} (connection refused): start it, or fix "
        f"`spark.master` in {CONF} (master_timeout there sets how long to wait)")


def test_one_master_of_several_answering_is_enough(refused_port: int):
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        check_master(f"spark://127.0.0.1:{refused_port},127.0.0.1:{port}", ClusterChecks())
    for not_checked in ("local[2]", "yarn", None):
        check_master(not_checked, ClusterChecks())
    check_master(f"spark://127.0.0.1:{refused_port}", ClusterChecks(master_timeout=0))


def test_each_unanswering_master_says_why(monkeypatch: pytest.MonkeyPatch):
    def fail(address: tuple[str, int], timeout: float) -> None:
        raise {"slow": TimeoutError(), "nowhere": socket.gaierror()}[address[0]]

    monkeypatch.setattr(spark_cluster.socket, "create_connection", fail)
    with pytest.raises(MasterUnreachable) as error:
        check_master("spark://slow:7077,nowhere:7077", ClusterChecks(master_timeout=3))
    assert error.value.message.startswith(
        "no Spark master answers at spark://slow:7077,nowhere:7077 (slow:7077: no answer in "
        "3 s; nowhere:7077: unknown host nowhere): start it")


# -- executors -----------------------------------------------------------------------------


def test_a_session_with_an_executor_or_no_need_for_one_is_not_held():
    for session in (Session("spark://h:7077", executors=1), Session("local[*]"),
                    Session("yarn", {"spark.dynamicAllocation.enabled": "true"})):
        wait_for_executors(session, ClusterChecks(executor_timeout=60))
        assert not session.stopped
    waiting = Session("spark://h:7077")
    wait_for_executors(waiting, ClusterChecks(executor_timeout=0))  # 0: Spark's own wait
    assert not waiting.stopped

    class ConnectSession:  # Spark Connect: no JVM-side context to count executors in
        @property
        def sparkContext(self) -> None:  # noqa: N802 - pyspark's name
            raise RuntimeError("[JVM_ATTRIBUTE_NOT_SUPPORTED]")

    wait_for_executors(ConnectSession(), ClusterChecks(executor_timeout=60))


def test_dynamic_allocation_that_starts_with_executors_is_waited_for():
    session = Session("yarn", {"spark.dynamicAllocation.enabled": "true",
                               "spark.dynamicAllocation.minExecutors": "2",
                               "spark.executor.memory": "4g", "spark.executor.cores": "2"})
    with pytest.raises(NoExecutors) as error:
        wait_for_executors(session, ClusterChecks(executor_timeout=0.2, config_file=CONF))
    assert session.stopped
    assert error.value.message == (
        "no executor within 0.2 s on yarn: an executor asks 4096 MiB and 2 cores, and the "
        "cluster gave none: check it has room for one, or lower spark.executor.memory (and "
        f"spark.executor.cores) in {CONF} to fit a worker (executor_timeout in {CONF} sets "
        "this wait; spark.log.level: INFO there shows Spark's own log)")


def test_executors_bigger_than_every_worker_name_both_sizes(master_ui: SimpleNamespace):
    master_ui.state.update(status="ALIVE", url="spark://h:7077",
                     workers=[worker(2048, 2), worker(1024, 4), worker(65536, 64, state="DEAD")],
                     activeapps=[{"id": "app-1", "memoryperexecutor": 8192, "state": "WAITING"}])
    session = Session("spark://h:7077", {"spark.executor.memory": "8g"})

    with pytest.raises(NoExecutors) as error:
        wait_for_executors(session, ClusterChecks(executor_timeout=0.1,
                                                  master_web_ui=master_ui.url,
                                                  config_file=CONF))

    assert session.stopped
    assert error.value.message == (
        "no executor within 0.1 s on spark://h:7077: an executor asks 8192 MiB and at least "
        "1 core, more than any of the 2 live worker(s) has, the largest 2048 MiB and 2 cores "
        f"(the master's view: {master_ui.url}/json): lower spark.executor.memory (and "
        f"spark.executor.cores) in {CONF} to fit a worker, or start bigger workers "
        f"(executor_timeout in {CONF} sets this wait; spark.log.level: INFO there shows "
        "Spark's own log)")


@pytest.mark.parametrize(("workers", "asked", "why", "fix"), [
    ([], Asked(1024, 1, False), "the master has no live worker",
     "start one (`start-worker.sh spark://h:7077`)"),
    ([worker(4096, 4, used_cores=4), worker(4096, 1, used_memory=3500)], Asked(1024, 2, True),
     "an executor asks 1024 MiB and 2 cores; 1 worker(s) have that much, but other "
     "applications use it", f"wait for them, or {LOWER}"),
    ([worker(4096, 4)], Asked(1024, 1, True),
     "an executor asks 1024 MiB and 1 core, which 1 worker(s) have free, yet none "
     "registered with this driver",
     "the workers may not reach the driver (set spark.driver.host to an address they "
     "reach), or its executors start slower than this wait: a worker's log, on its web UI, "
     "says which"),
])
def test_what_the_workers_offer_decides_the_advice(workers, asked, why, fix):
    state = {"url": "spark://h:7077", "workers": workers, "activeapps": [{"id": "app-1"}]}
    assert offer(state, asked, LOWER) == (why, fix)


def test_a_master_web_ui_that_does_not_answer_is_named(refused_port: int):
    session = Session("spark://127.0.0.1:7077", {"spark.executor.memory": "512m",
                                                  "spark.executor.cores": "1"})
    ui = f"http://127.0.0.1:{refused_port}"
    with pytest.raises(NoExecutors) as error:
        wait_for_executors(session, ClusterChecks(executor_timeout=0.1, master_web_ui=ui,
                                                  config_file=CONF))
    assert error.value.message.startswith(
        "no executor within 0.1 s on spark://127.0.0.1:7077: an executor asks 512 MiB and 1 "
        f"core, and the master's web UI ({ui}) did not answer to say what the workers offer: "
        f"set master_web_ui in {CONF} to it, or lower spark.executor.memory")
