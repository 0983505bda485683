"""What README and docs/starter.md say about the network, held true: the starter never
touches it (`kedro new` with every connection refused generates the project and tries
none), while Kedro's own telemetry plugin asks for heapanalytics.com at `kedro new`
unless KEDRO_DISABLE_TELEMETRY or DO_NOT_TRACK is set.

Every Python process `kedro new` starts (cookiecutter's hooks run in their own) loads a
`sitecustomize` that refuses DNS look-ups and connections and writes each attempt down.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import KEDRO, run

pytestmark = pytest.mark.e2e

REFUSE_NETWORK = '''\
import os
import socket

_LOG = os.environ["NETWORK_LOG"]


def _refuse(address):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{address!r}\\n")
    raise OSError(f"the network is refused in this test: {address!r}")


socket.getaddrinfo = lambda host, *args, **kwargs: _refuse((host, *args[:1]))
socket.socket.connect = lambda self, address: _refuse(address)
socket.socket.connect_ex = lambda self, address: _refuse(address)
'''


def kedro_new_offline(tmp_path: Path, **telemetry: str) -> tuple[Path, list[str]]:
    """`kedro new` with the network refused; the project and the attempts it made."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(REFUSE_NETWORK)
    log = tmp_path / "network.log"
    run([KEDRO, "new", "--starter=ml-structure", "--name", "Net Lab"], tmp_path, check=True,
        PYTHONPATH=str(site), NETWORK_LOG=str(log), HOME=str(tmp_path / "home"),
        **telemetry)
    attempts = log.read_text().splitlines() if log.exists() else []
    return tmp_path / "net-lab", attempts


def test_the_starter_never_touches_the_network(tmp_path: Path):
    project, attempts = kedro_new_offline(tmp_path)  # telemetry off, as tests.support sets

    assert attempts == []
    assert (project / "requirements.txt").is_file() and (project / "pyproject.toml").is_file()


def test_kedros_telemetry_asks_the_network_at_kedro_new_unless_switched_off(tmp_path: Path):
    project, attempts = kedro_new_offline(tmp_path, KEDRO_DISABLE_TELEMETRY="",
                                          DO_NOT_TRACK="")

    assert attempts and all("heapanalytics.com" in attempt for attempt in attempts)
    assert (project / "pyproject.toml").is_file()  # a refused connection does not stop it
