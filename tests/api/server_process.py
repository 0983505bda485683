"""A real server process for the serving tests and benchmark: start, wait until it answers, stop.

The server runs as the user runs it (its own process, stdin closed, bound to 127.0.0.1 on
a free port); its output goes to a log file, so a chatty access log can never fill a pipe
and block it, and the log is shown when it fails to come up.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support import env

HOST = "127.0.0.1"


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class ServerProcess:
    process: subprocess.Popen
    base_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Sends `sig` and returns the exit code; kills it and fails if it does not exit in time."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
                raise AssertionError(
                    f"server ignored signal {sig} for {timeout}s\n{self.log()[-4000:]}"
                ) from None
        return self.process.returncode


def start_server(
    args: list[str], cwd: Path, log_path: Path, port: int, *, timeout: float = 90,
    **extra_env: str,
) -> ServerProcess:
    """Starts `args` in `cwd` (with `extra_env` set) and returns once GET /health answers 200
    (or fails with the log)."""
    log = log_path.open("wb")
    process = subprocess.Popen(
        args, cwd=cwd, env=env(**extra_env), stdin=subprocess.DEVNULL, stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    server = ServerProcess(process, f"http://{HOST}:{port}", log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited {process.returncode}\n{server.log()[-4000:]}")
        try:
            if httpx.get(f"{server.base_url}/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop(signal.SIGKILL)
    raise AssertionError(f"server not answering after {timeout}s\n{server.log()[-4000:]}")
