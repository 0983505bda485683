"""Fail fast on a cluster: a master nothing answers at, executors that never come.

Left to itself, Spark waits. A `spark://` master that nothing listens on costs three
registration attempts 20 s apart, then a py4j traceback of a hundred lines; executors
that no worker can hold (8g asked, 2 GiB offered) leave `kedro run` silent forever, the
only hint being Spark's "Initial job has not accepted any resources" warning, which the
project's `spark.log.level: ERROR` hides. So `start_spark` asks these first, each with a
time limit set in conf/<env>/spark.yml (keys without `spark.`, not passed to Spark):

- `master_timeout` (10 s): how long each `spark://host:port` may take to accept a
  connection, checked before the JVM starts;
- `executor_timeout` (120 s; 0 waits as long as Spark does): how long the session may
  wait for its first executor. A standalone master's web UI (`master_web_ui`, else port
  8080 of the master's host) then says why, from its `/json` view: the memory and cores
  an executor asks against what each live worker offers.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from kedro_ml_starter.errors import UserError

MASTER_TIMEOUT = 10.0
EXECUTOR_TIMEOUT = 120.0
MASTER_UI_PORT = 8080  # Spark's default `spark.master.ui.port`
STANDALONE_PORT = 7077
POLL_SECONDS = 0.25
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, None: 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


class MasterUnreachable(UserError):
    """Raised when no `spark://` master of `spark.master` accepts a connection in time."""


class NoExecutors(UserError):
    """Raised when a cluster session gets no executor in time; says what the workers offer."""


@dataclass(frozen=True)
class ClusterChecks:
    """The time limits `start_spark` keeps to, and where to read the master's state."""

    master_timeout: float = MASTER_TIMEOUT
    executor_timeout: float = EXECUTOR_TIMEOUT
    master_web_ui: str | None = None
    config_file: str = "conf/<env>/spark.yml"  # where a message tells the user to look


def cluster_checks(settings: Mapping[str, Any], config_file: str | None = None
                   ) -> tuple[ClusterChecks, dict[str, Any]]:
    """The checks' settings taken out of spark.yml's, and the settings left for Spark."""
    spark = dict(settings)
    where = config_file or ClusterChecks.config_file
    web_ui = spark.pop("master_web_ui", None)
    checks = ClusterChecks(
        master_timeout=_seconds(spark.pop("master_timeout", MASTER_TIMEOUT), "master_timeout",
                                where),
        executor_timeout=_seconds(spark.pop("executor_timeout", EXECUTOR_TIMEOUT),
                                  "executor_timeout", where),
        master_web_ui=str(web_ui).rstrip("/") if web_ui else None,
        config_file=where,
    )
    return checks, spark


def _seconds(value: Any, key: str, where: str) -> float:
    """A duration as spark.yml may spell it: 90, 90s, 1.5min, 500ms."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    found = _DURATION.match(str(value))
    if found is None or isinstance(value, bool):
        raise UserError(f"{key} must be a duration such as 30s or 2min, not {value!r}", where)
    return float(found[1]) * _UNIT_SECONDS[found[2]]


def standalone_masters(master: str | None) -> list[tuple[str, int]]:
    """(host, port) of each master in `spark://h1:7077,h2:7077`; [] for any other master."""
    if not master or not master.startswith("spark://"):
        return []
    out = []
    for address in filter(None, (a.strip() for a in master[len("spark://"):].split(","))):
        parsed = urlsplit(f"//{address}")
        try:
            out.append((parsed.hostname or address, parsed.port or STANDALONE_PORT))
        except ValueError:  # a port that is not a number: Spark's own error says so
            return []
    return out


def check_master(master: str | None, checks: ClusterChecks) -> None:
    """Raises MasterUnreachable unless a `spark://` master accepts a TCP connection
    within `master_timeout`; other masters (local, yarn, k8s) are Spark's to reach."""
    masters = standalone_masters(master)
    if not masters or checks.master_timeout <= 0:
        return
    reasons = []
    for host, port in masters:
        where = f"{host}:{port}: " if len(masters) > 1 else ""
        try:
            with socket.create_connection((host, port), timeout=checks.master_timeout):
                return
        except socket.gaierror:
            reasons.append(f"{where}unknown host {host}")
        except TimeoutError:
            reasons.append(f"{where}no answer in {checks.master_timeout:g} s")
        except OSError as error:
            reasons.append(f"{where}{(error.strerror or str(error)).lower()}")
    raise MasterUnreachable(
        f"no Spark master answers at {master} ({'; '.join(reasons)}): start it, or fix "
        f"`spark.master` in {checks.config_file} (master_timeout there sets how long to wait)"
    )


def wait_for_executors(session: Any, checks: ClusterChecks) -> None:
    """Returns once the session has an executor; stops it and raises NoExecutors when none
    registers within `executor_timeout`. Local masters, and dynamic allocation starting
    from no executor (executors come with the first job), are not waited for."""
    if checks.executor_timeout <= 0:
        return
    try:
        context = session.sparkContext
    except Exception:  # noqa: BLE001 - Spark Connect: the server's executors are not this session's to count
        return
    if not _needs_executors(context):
        return
    deadline = time.monotonic() + checks.executor_timeout
    while (count := executor_count(context)) == 0 and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
    if count != 0:  # some, or a session that cannot say (the check is then Spark's)
        return
    message = starvation(context, checks)
    session.stop()  # off the master's waiting list; a worker may come later, this run won't
    raise NoExecutors(message)


def executor_count(context: Any) -> int | None:
    """Executors registered with the driver (the driver's own entry left out), or None."""
    try:
        return int(context._jsc.sc().getExecutorMemoryStatus().size()) - 1
    except Exception:  # noqa: BLE001 - no JVM-side context (Spark Connect): nothing to count
        return None


def _needs_executors(context: Any) -> bool:
    if str(context.master).startswith("local"):
        return False
    conf = context.getConf()
    if conf.get("spark.dynamicAllocation.enabled", "false").lower() != "true":
        return True
    return any(str(conf.get(key, "0") or "0").strip() not in ("0", "") for key in (
        "spark.dynamicAllocation.initialExecutors", "spark.dynamicAllocation.minExecutors",
        "spark.executor.instances"))


def starvation(context: Any, checks: ClusterChecks) -> str:
    """Why no executor came, as one line: what an executor asks against what the workers
    offer, from a standalone master's `/json` view; what was asked, elsewhere."""
    conf = context.getConf()
    cores = conf.get("spark.executor.cores", None)
    asked = Asked(_mib(conf.get("spark.executor.memory", "1g")), int(cores or 1),
                  cores is not None)
    head = f"no executor within {checks.executor_timeout:g} s on {context.master}"
    lower = (f"lower spark.executor.memory (and spark.executor.cores) in {checks.config_file} "
             "to fit a worker")
    tail = (f"(executor_timeout in {checks.config_file} sets this wait; spark.log.level: INFO "
            "there shows Spark's own log)")
    masters = standalone_masters(str(context.master))
    if not masters:
        return (f"{head}: an executor asks {asked}, and the cluster gave none: check it has "
                f"room for one, or {lower} {tail}")
    state, ui = master_state(masters, checks)
    if state is None:
        return (f"{head}: an executor asks {asked}, and the master's web UI ({ui}) did not "
                f"answer to say what the workers offer: set master_web_ui in "
                f"{checks.config_file} to it, or {lower} {tail}")
    app: dict[str, Any] = next((a for a in state.get("activeapps", [])
                                if a.get("id") == context.applicationId), {})
    if app.get("memoryperexecutor"):  # what the master was asked, in MiB
        asked = Asked(int(app["memoryperexecutor"]), asked.cores, asked.cores_set)
    reason, fix = offer(state, asked, lower)
    return f"{head}: {reason} (the master's view: {ui}/json): {fix} {tail}"


@dataclass(frozen=True)
class Asked:
    """What one executor needs of a worker: standalone gives it every free core of the
    worker when spark.executor.cores is not set, but it needs at least one."""

    memory_mib: int
    cores: int
    cores_set: bool

    def __str__(self) -> str:
        cores = _cores(self.cores) if self.cores_set else "at least 1 core"
        return f"{self.memory_mib} MiB and {cores}"


def _cores(count: int) -> str:
    return f"{count} core{'s' * (count != 1)}"


def offer(state: Mapping[str, Any], asked: Asked, lower: str) -> tuple[str, str]:
    """(why, what to do) for a standalone master's `/json` view: the live workers' memory
    and cores against what one executor asks."""
    workers = [w for w in state.get("workers", []) if w.get("state") == "ALIVE"]
    if not workers:
        return ("the master has no live worker",
                f"start one (`start-worker.sh {state.get('url', 'spark://<master>:7077')}`)")
    fits = [w for w in workers if w["memory"] >= asked.memory_mib and w["cores"] >= asked.cores]
    if not fits:
        big = max(workers, key=lambda w: (w["memory"], w["cores"]))
        why = (f"an executor asks {asked}, more than any of the {len(workers)} live "
               f"worker(s) has, the largest {big['memory']} MiB and {_cores(big['cores'])}")
        return why, f"{lower}, or start bigger workers"
    free = [w for w in fits
            if w["memoryfree"] >= asked.memory_mib and w["coresfree"] >= asked.cores]
    if not free:
        why = (f"an executor asks {asked}; {len(fits)} worker(s) have that much, but other "
               "applications use it")
        return why, f"wait for them, or {lower}"
    why = (f"an executor asks {asked}, which {len(free)} worker(s) have free, yet none "
           "registered with this driver")
    return why, ("the workers may not reach the driver (set spark.driver.host to an address "
                 "they reach), or its executors start slower than this wait: a worker's log, "
                 "on its web UI, says which")


def master_state(masters: list[tuple[str, int]], checks: ClusterChecks
                 ) -> tuple[dict[str, Any] | None, str]:
    """The `/json` view of the first master web UI that answers, and its address."""
    urls = ([checks.master_web_ui] if checks.master_web_ui
            else [f"http://{host}:{MASTER_UI_PORT}" for host, _ in masters])
    import urllib.request  # only when a run gets no executor: kept off every kedro start

    for url in urls:
        try:
            with urllib.request.urlopen(f"{url}/json/", timeout=5) as response:
                state = json.load(response)
        except (OSError, ValueError):
            continue
        if isinstance(state, dict) and state.get("status", "ALIVE") == "ALIVE":
            return state, url
    return None, urls[0]


def _mib(size: str) -> int:
    """Spark's memory strings (`512m`, `8g`, a number of MiB) in MiB."""
    found = re.match(r"^\s*(\d+)\s*([kmgt]?)b?\s*$", str(size).lower())
    if found is None:
        return 0
    factor = {"k": 1 / 1024, "": 1, "m": 1, "g": 1024, "t": 1024 * 1024}[found[2]]
    return int(int(found[1]) * factor)

