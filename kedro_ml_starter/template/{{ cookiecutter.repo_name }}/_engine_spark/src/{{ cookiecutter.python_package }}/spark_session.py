"""The project's Spark session: started once per Kedro session from conf/<env>/spark.yml.

Every key in spark.yml goes to `SparkSession.builder.config`, so moving from a laptop
(`spark.master: local[*]`) to a cluster is a configuration change, not a code change. On
Databricks a session already exists: `getOrCreate` joins it and ignores `spark.master`.
The datasets in the catalog (`spark.SparkDatasetV2`, `SparkMLModelDataset`) use this session.

Two set-up mistakes are common, and both become one line instead of a JVM stack trace:
pyspark not installed, and no usable Java.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import click
from kedro.framework.hooks import hook_impl

_LOG_CONFIG = re.compile(r"(-Dlog4j2\.configurationFile=)(?!/|file:)(\S+)")
JAVA_HELP = ("Spark {version} needs Java 17 or 21: install a JDK (e.g. `apt install "
             "openjdk-17-jdk-headless`, `brew install openjdk@17`) and put `java` on PATH or "
             "set JAVA_HOME")


class SparkUnavailable(click.ClickException):
    """Raised when Spark cannot start here: the message says what to install or set."""


class SingleProcessOnly(click.ClickException):
    """Raised for `--runner ParallelRunner`: its worker processes cannot share the session."""


class SparkHooks:
    """Starts the session when Kedro has read the configuration, before anything loads."""

    @hook_impl
    def after_context_created(self, context: Any) -> None:
        start_spark(dict(context.config_loader["spark"]), Path(context.project_path))

    @hook_impl
    def before_pipeline_run(self, run_params: dict[str, Any]) -> None:
        # Kedro's own refusal comes later, as a traceback listing the Spark datasets.
        if "ParallelRunner" in str(run_params.get("runner", "")):
            raise SingleProcessOnly(
                "ParallelRunner runs nodes in separate processes, which cannot share the "
                "Spark session: use `--runner ThreadRunner` (nodes in parallel threads, one "
                "session; Spark parallelises within each node anyway) or the default runner"
            )


def start_spark(settings: dict[str, Any], project_path: Path | None = None) -> Any:
    """The active SparkSession configured from `settings`, or SparkUnavailable.

    A relative log4j2 configuration file in `spark.driver.extraJavaOptions` is taken from
    `project_path`, so `kedro run` behaves the same from any folder of the project.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(
            "pyspark is not installed: run `pip install -r requirements.txt`"
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    java = find_java()
    import pyspark

    if java is None:
        home = os.environ.get("JAVA_HOME")
        where = f"JAVA_HOME ({home}) has no bin/java; " if home else ""
        raise SparkUnavailable(
            f"no Java found: {where}{JAVA_HELP.format(version=pyspark.__version__)}"
        )
    builder = SparkSession.builder
    for key, value in settings.items():
        text = _conf_value(value)
        if key == "spark.driver.extraJavaOptions" and project_path is not None:
            text = _LOG_CONFIG.sub(lambda m: f"{m[1]}{project_path / m[2]}", text)
        builder = builder.config(key, text)
    try:
        session = builder.getOrCreate()
    except Exception as error:
        # pyspark says [JAVA_GATEWAY_EXITED] when the JVM process ends before answering.
        if "JAVA_GATEWAY_EXITED" not in str(error) and "Java gateway" not in str(error):
            raise
        raise SparkUnavailable(
            f"Spark's JVM did not start with {java}: "
            f"{JAVA_HELP.format(version=pyspark.__version__)} (check `java -version`)"
        ) from None
    return session


def find_java() -> str | None:
    """The `java` Spark will launch: $JAVA_HOME/bin/java, else the first on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if candidate.is_file() else None
    return shutil.which("java")


def _conf_value(value: Any) -> str:
    """YAML booleans become Spark's `true`/`false`, not Python's `True`."""
    return str(value).lower() if isinstance(value, bool) else str(value)
