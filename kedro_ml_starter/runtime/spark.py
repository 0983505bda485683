"""A project's Spark session: started once per Kedro session from conf/<env>/spark.yml.

Every key in spark.yml goes to `SparkSession.builder.config`, so moving from a laptop
(`spark.master: local[*]`) to a cluster is a configuration change, not a code change. On
Databricks a session already exists: `getOrCreate` joins it and ignores `spark.master`.

Set-up problems become one line instead of a JVM stack trace: pyspark not installed, no
Java, a Java too old for Spark, or a JVM that stops for its own reason. In that last case
the line quotes the JVM's exception (e.g. `java.net.SocketException: No network interfaces
configured` in a container without a loopback interface): installing Java would not help.
On a cluster, a master that does not answer and executors that never come are one line
too, within time limits of their own instead of a minute of retries or a wait without end
(`spark_cluster`; its settings are the keys of spark.yml without `spark.`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl

from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime.hooks import one_line
from kedro_ml_starter.runtime.spark_cluster import (
    check_master,
    cluster_checks,
    wait_for_executors,
)

MINIMUM_JAVA = 17
_LOG_CONFIG = re.compile(r"(-Dlog4j2\.configurationFile=)(?!/|file:)(\S+)")
_JAVA_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')
_EXCEPTION = re.compile(  # `Exception in thread "main" java.net.SocketException: ...`
    r'^(?:Exception in thread "[^"]*" )?'
    r"((?:[A-Za-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error)\b.*)$"
)
_CAUSE = re.compile(r"^Caused by: (.+)$")
JAVA_HELP = (
    "Spark {version} needs Java 17 or 21: install a JDK (e.g. `apt install "
    "openjdk-17-jdk-headless`, `brew install openjdk@17`) and put `java` on PATH or "
    "set JAVA_HOME"
)
NO_NETWORK_HELP = (
    "Spark needs a network interface, at least loopback: in a container or network "
    "namespace, bring `lo` up (`ip link set lo up`)"
)


class SparkUnavailable(UserError):
    """Raised when Spark cannot start here: the message says why, and what to do."""


class SingleProcessOnly(UserError):
    """Raised for `--runner ParallelRunner`: its worker processes cannot share the session."""


class SparkHooks:
    """Starts the session when Kedro has read the configuration, before anything loads.

    The project's settings.py must add a `spark` config pattern (`spark*`, `spark*/**`).
    """

    @hook_impl
    def after_context_created(self, context: Any) -> None:
        loader = context.config_loader
        env = context.env or getattr(loader, "default_run_env", None) or "local"
        with one_line():
            start_spark(dict(loader["spark"]), Path(context.project_path),
                        config_file=f"conf/{env}/spark.yml")

    @hook_impl
    def before_pipeline_run(self, run_params: dict[str, Any]) -> None:
        # Kedro's own refusal comes later, as a traceback listing the Spark datasets.
        if "ParallelRunner" in str(run_params.get("runner", "")):
            with one_line():
                raise SingleProcessOnly(
                    "ParallelRunner runs nodes in separate processes, which cannot share the "
                    "Spark session: use `--runner ThreadRunner` (nodes in parallel threads, "
                    "one session; Spark parallelises within each node anyway) or the default "
                    "runner"
                )


def start_spark(settings: dict[str, Any], project_path: Path | None = None,
                config_file: str | None = None) -> Any:
    """The active SparkSession configured from `settings`, or SparkUnavailable.

    A relative log4j2 configuration file in `spark.driver.extraJavaOptions` is taken from
    `project_path`, so `kedro run` behaves the same from any folder of the project. On a
    cluster it returns once an executor has registered, or raises MasterUnreachable or
    NoExecutors naming `config_file` (where spark.yml's settings are) in their advice.
    """
    checks, settings = cluster_checks(settings, config_file)
    try:
        # here: a missing pyspark is one line, and settings.py imports this on every `kedro` call
        import pyspark
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(
            "pyspark is not installed: run `pip install -r requirements.txt`"
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    java = find_java()
    if java is None:
        home = os.environ.get("JAVA_HOME")
        where = f"JAVA_HOME ({home}) has no bin/java; " if home else ""
        raise SparkUnavailable(
            f"no Java found: {where}{JAVA_HELP.format(version=pyspark.__version__)}"
        )
    conf = {key: _conf_value(key, value, project_path) for key, value in settings.items()}
    check_master(conf.get("spark.master"), checks)
    builder = SparkSession.builder
    for key, value in conf.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as error:
        # pyspark says [JAVA_GATEWAY_EXITED] when the JVM process ends before answering.
        if "JAVA_GATEWAY_EXITED" not in str(error) and "Java gateway" not in str(error):
            raise
        raise SparkUnavailable(jvm_failure(java, conf, pyspark.__version__)) from None
    wait_for_executors(session, checks)
    return session


def find_java() -> str | None:
    """The `java` Spark will launch: $JAVA_HOME/bin/java, else the first on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if candidate.is_file() else None
    return shutil.which("java")


def java_version(java: str) -> int | None:
    """The major version `java -version` reports (8 for `1.8.0`), or None if it fails."""
    try:
        done = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = _JAVA_VERSION.search(done.stderr + done.stdout)
    if done.returncode != 0 or found is None:
        return None
    major = int(found[1])
    return int(found[2] or 0) if major == 1 else major


def jvm_failure(java: str, conf: dict[str, str], spark_version: str) -> str:
    """Why Spark's JVM stopped: Java missing or too old, else the JVM's own exception."""
    help_text = JAVA_HELP.format(version=spark_version)
    major = java_version(java)
    if major is None:
        return f"{java} does not run (`{java} -version` fails): {help_text}"
    if major < MINIMUM_JAVA:
        return f"{java} is Java {major}: {help_text}"
    cause = java_exception(_gateway_output(conf))
    if cause is None:
        return (
            f"Spark's JVM ({java}, Java {major}) stopped before it started, without an "
            "exception: run `pyspark` in this folder to see its output"
        )
    advice = f"; {NO_NETWORK_HELP}" if "No network interfaces configured" in cause else ""
    return f"Spark's JVM ({java}, Java {major}) stopped before it started: {cause}{advice}"


def java_exception(output: str) -> str | None:
    """The first Java exception in `output`, with its root cause when it has one."""
    first = root = None
    for line in output.splitlines():
        line = line.strip()
        cause = _CAUSE.match(line)
        if cause and first is not None:
            root = cause[1]
        elif first is None and (found := _EXCEPTION.match(line)):
            first = found[1]
    if first is None:
        return None
    return f"{first} (caused by {root})" if root and root != first else first


def _gateway_output(conf: dict[str, str]) -> str:
    """Launches the JVM once more, as pyspark does, keeping what it prints this time.

    Only called after a failed start: pyspark lets the JVM write to this process's stderr,
    where the exception scrolled past above the traceback.
    """
    # pyspark loads when a session starts: settings.py imports this on every `kedro` call
    from pyspark import SparkConf
    from pyspark.java_gateway import launch_gateway

    spark_conf = SparkConf(loadDefaults=False)
    for key, value in conf.items():
        spark_conf.set(key, value)
    with tempfile.TemporaryFile() as output:
        try:
            gateway = launch_gateway(spark_conf, popen_kwargs={"stdout": output, "stderr": output})
        except Exception:  # noqa: BLE001, S110 - the failure being diagnosed: its output is what we want
            pass
        else:  # it started this time: stop it again, the caller reports the first failure
            gateway.shutdown()
            if getattr(gateway, "proc", None) is not None:
                gateway.proc.kill()
        output.seek(0)
        return output.read().decode(errors="replace")


def _conf_value(key: str, value: Any, project_path: Path | None) -> str:
    """YAML booleans become Spark's `true`/`false`; a relative log4j2 file, an absolute one."""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if key == "spark.driver.extraJavaOptions" and project_path is not None:
        text = _LOG_CONFIG.sub(lambda m: f"{m[1]}{project_path / m[2]}", text)
    return text
