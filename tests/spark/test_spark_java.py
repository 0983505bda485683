"""When Spark cannot start, `kedro run` on a spark project says why in one line.

Spark's own failure is a JVM gateway stack trace ("JAVA_GATEWAY_EXITED"); the Spark hook
(kedro_ml_starter.runtime.spark) turns it into one line before any stage runs: what to
install when Java is missing or too old, the JVM's own exception otherwise.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.fake_java import NO_NETWORK, fake_java_home
from tests.support import BIN, KEDRO, env, tree_hashes

pytestmark = [pytest.mark.spark, pytest.mark.e2e]


def _path_without_java() -> str:
    """PATH with every directory holding a `java` left out, our venv's bin kept first."""
    kept = [d for d in os.environ.get("PATH", "").split(os.pathsep)
            if d and not (Path(d) / "java").exists()]
    return os.pathsep.join([str(BIN), *kept])


def _run_without_java(project: Path, java_home: str | None) -> subprocess.CompletedProcess[str]:
    """`kedro run` with JAVA_HOME unset and no java on PATH, or JAVA_HOME at `java_home`.

    A JAVA_HOME without bin/java is what Spark launches even when PATH has a java, so
    that case keeps PATH as it is.
    """
    if java_home is None:
        environment = env(PATH=_path_without_java())
        environment.pop("JAVA_HOME", None)
    else:
        environment = env(JAVA_HOME=java_home)
    return subprocess.run([KEDRO, "run"], cwd=project, env=environment,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("java_home", ["unset and none on PATH", "an empty folder"])
def test_no_java_is_one_clear_line(project_copy, spark_project: Path, tmp_path_factory,
                                   java_home: str):
    project = project_copy(spark_project)
    home = None
    if java_home == "an empty folder":
        home = str(tmp_path_factory.mktemp("empty-java-home"))
    before = tree_hashes(project)

    result = _run_without_java(project, home)

    assert result.returncode == 1, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and errors[0].startswith("Error: no Java found: "), result.stderr
    assert "put `java` on PATH or set JAVA_HOME" in errors[0]
    if home is not None:
        assert f"JAVA_HOME ({home}) has no bin/java" in errors[0], errors[0]
    output = result.stdout + result.stderr
    for noise in ("Traceback", "Py4J", "JAVA_GATEWAY"):
        assert noise not in output, output[-3000:]
    assert not [p for p in (project / "data/02_train").iterdir() if p.name != ".gitkeep"]
    assert tree_hashes(project) == before


def test_a_jvm_that_stops_for_its_own_reason_is_quoted_not_blamed_on_java(
    project_copy, spark_project: Path, tmp_path: Path
):
    """Java 17 is there, but the JVM stops (here: no network interface, as in a network
    namespace without loopback): the line quotes the JVM's exception, not "install Java"."""
    project = project_copy(spark_project)
    home = fake_java_home(tmp_path / "jdk", "17.0.9", NO_NETWORK)
    before = tree_hashes(project)

    result = _run_without_java(project, str(home))

    assert result.returncode == 1, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: Spark's JVM ({home}/bin/java, Java 17) stopped before it started: "
        "java.lang.ExceptionInInitializerError (caused by java.net.SocketException: No "
        "network interfaces configured); Spark needs a network interface, at least "
        "loopback: in a container or network namespace, bring `lo` up (`ip link set lo up`)"
    ], result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_hashes(project) == before


def test_no_pyspark_is_one_clear_line(project_copy, spark_project: Path, tmp_path: Path):
    """An environment without pyspark (here: a `pyspark` that fails to import, first on
    PYTHONPATH) gets the install command, not an ImportError traceback."""
    project = project_copy(spark_project)
    shadow = tmp_path / "shadow" / "pyspark"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text('raise ImportError("No module named \'pyspark\'")\n')
    before = tree_hashes(project)

    result = subprocess.run([KEDRO, "run"], cwd=project,
                            env=env(PYTHONPATH=str(shadow.parent)),
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)

    assert result.returncode == 1, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == ["Error: pyspark is not installed: run `pip install -r requirements.txt`"], (
        result.stderr[-3000:])
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_hashes(project) == before
