"""A fake `java` for the tests of Spark's start-up: a shell script under a fake JAVA_HOME
that reports a version and, asked to run anything, fails the way a JVM that cannot start
does. No JVM starts, so each case costs milliseconds."""

from __future__ import annotations

import stat
from pathlib import Path

# What a JVM prints in a network namespace without a loopback interface.
NO_NETWORK = """\
Exception in thread "main" java.lang.ExceptionInInitializerError
\tat org.apache.spark.util.Utils$.findLocalInetAddress(Utils.scala:1000)
Caused by: java.net.SocketException: No network interfaces configured
\tat java.base/java.net.NetworkInterface.getAll(Native Method)
"""


def fake_java_home(root: Path, version: str, failure: str = "") -> Path:
    """A JAVA_HOME whose bin/java reports `version` and, asked to run anything, prints
    `failure` on stderr and exits 1 (as a JVM that cannot start does)."""
    java = root / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-version" ]; then\n'
        f"  echo 'openjdk version \"{version}\" 2024-01-16' >&2\n"
        "  exit 0\n"
        "fi\n"
        f"cat >&2 <<'END'\n{failure}END\n"
        "exit 1\n"
    )
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    return root
