"""Why Spark did not start, in one line: the JVM's own exception when Java is fine, the
advice to install Java 17 only when Java is missing or too old. A fake `java` (a shell
script under a fake JAVA_HOME) plays each case; no JVM starts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kedro_ml_starter.runtime.spark import java_exception, java_version
from tests.fake_java import NO_NETWORK, fake_java_home
from tests.support import PYTHON, run

START = """
from kedro_ml_starter.runtime.spark import SparkUnavailable, start_spark
try:
    start_spark({"spark.master": "local[1]"})
except SparkUnavailable as error:
    print(error.message)
"""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the fake java is a shell script")


def _start(java_home: Path, tmp_path: Path) -> str:
    result = run([PYTHON, "-c", START], tmp_path, check=True, JAVA_HOME=str(java_home))
    return result.stdout.strip()


def test_the_jvm_exception_and_its_root_cause_are_quoted():
    assert java_exception(NO_NETWORK) == (
        "java.lang.ExceptionInInitializerError (caused by java.net.SocketException: "
        "No network interfaces configured)"
    )
    plain = 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n'
    assert java_exception("WARNING: something\n" + plain) == (
        "java.lang.OutOfMemoryError: Java heap space"
    )
    assert java_exception("Error: Could not find or load main class x\n") is None


def test_java_versions_are_read_old_and_new_style(tmp_path: Path):
    assert java_version(str(fake_java_home(tmp_path / "a", "17.0.9") / "bin/java")) == 17
    assert java_version(str(fake_java_home(tmp_path / "b", "1.8.0_392") / "bin/java")) == 8
    assert java_version(str(tmp_path / "missing" / "java")) is None


def test_a_jvm_without_network_is_reported_as_such_not_as_missing_java(tmp_path: Path):
    home = fake_java_home(tmp_path / "jdk", "17.0.9", NO_NETWORK)
    line = _start(home, tmp_path)
    assert line.startswith(f"Spark's JVM ({home}/bin/java, Java 17) stopped before it started: ")
    assert "java.net.SocketException: No network interfaces configured" in line
    assert "bring `lo` up" in line
    assert "install a JDK" not in line and "\n" not in line


def test_a_java_too_old_is_told_to_install_java_17(tmp_path: Path):
    home = fake_java_home(tmp_path / "jdk", "11.0.21", NO_NETWORK)
    line = _start(home, tmp_path)
    assert line.startswith(f"{home}/bin/java is Java 11: Spark ")
    assert "needs Java 17 or 21: install a JDK" in line


def test_no_java_at_java_home_is_named(tmp_path: Path):
    line = _start(tmp_path / "empty", tmp_path)
    assert line.startswith(f"no Java found: JAVA_HOME ({tmp_path / 'empty'}) has no bin/java; ")
    assert os.linesep not in line
