"""The project's Spark session: started from conf/ settings, and one clear line without Java."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import PROJECT_ROOT

NO_JAVA_SCRIPT = """
from {{ cookiecutter.python_package }}.spark_session import SparkUnavailable, start_spark
try:
    start_spark({"spark.master": "local[1]"})
except SparkUnavailable as error:
    print(error.message)
else:
    print("started")
"""


def test_the_session_has_the_settings_it_was_started_with(spark):
    assert spark.conf.get("spark.sql.shuffle.partitions") == "2"
    assert spark.conf.get("spark.ui.enabled") == "false"  # a YAML boolean, as Spark spells it
    assert spark.sparkContext.master == "local[2]"


def test_without_java_start_spark_says_what_to_install(tmp_path):
    # A fresh interpreter: this process's session is already running, and would be reused.
    env = {**os.environ, "JAVA_HOME": str(tmp_path),
           "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT / "src"),
                                          os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-c", NO_JAVA_SCRIPT], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"no Java found: JAVA_HOME ({tmp_path}) has no bin/java; Spark ")
    assert "needs Java 17 or 21" in lines[0] and "set JAVA_HOME" in lines[0]
