"""Benchmark: single-row predict, the generated project's app against a minimal baseline.

    .venv/bin/python benchmarks/serving.py [--requests 400] [--keep DIR]

Generates a project with the starter and trains it (`kedro run`), then starts both apps as
real uvicorn processes on 127.0.0.1, serving the same fitted transformers and model:
(a) benchmarks/baseline_app.py, per-request DataFrame + transform + predict; (b) the
project's own app, `kedro serve`. Each is loaded with 1 client, then 16 concurrent clients
(keep-alive connections, one thread each, bounded request counts), the two apps taking
turns at each level so a busy machine slows both alike. Prints throughput and p50/p99
latency, and the ratios the issue sets targets for.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.api.server_process import HOST, ServerProcess, free_port, start_server  # noqa: E402
from tests.support import KEDRO, PYTHON, kedro, new_project  # noqa: E402

CLIENTS = (1, 16)


@dataclass(frozen=True)
class Result:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def load(port: int, bodies: list[bytes], clients: int, per_client: int) -> Result:
    """`clients` threads, each sending `per_client` single-row requests on one connection."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start_line = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {"content-type": "application/json"}
        start_line.wait()
        for i in range(per_client):
            body = bodies[(index * per_client + i) % len(bodies)]
            began = time.perf_counter()
            connection.request("POST", "/predict", body, headers)
            response = connection.getresponse()
            response.read()
            latencies[index].append((time.perf_counter() - began) * 1000)
            errors[index] += response.status != 200
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    flat = [ms for per in latencies for ms in per]
    return Result(len(flat), sum(errors), seconds, flat)


def request_bodies(project: Path) -> list[bytes]:
    """Complete rows (no missing value, which the naive baseline could not take)."""
    with (project / "data" / "06_scoring" / "new_penguins.csv").open() as file:
        rows = [r for r in csv.DictReader(file) if "NA" not in r.values() and "" not in r.values()]
    numbers = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")
    for row in rows:
        row.update({name: float(row[name]) for name in numbers}, year=int(row["year"]))
    return [json.dumps(row).encode() for row in rows]


def trained_project(parent: Path) -> Path:
    project = new_project(parent)
    kedro(["run"], project, check=True)
    return project


def run(requests: int, workdir: Path) -> dict[str, dict[int, Result]]:
    project = trained_project(workdir)
    bodies = request_bodies(project)
    apps: dict[str, ServerProcess] = {}
    ports = {"baseline": free_port(), "ours": free_port()}
    commands = {
        "baseline": [PYTHON, str(REPO / "benchmarks" / "baseline_app.py"), str(project),
                     str(ports["baseline"])],
        "ours": [KEDRO, "serve", "--port", str(ports["ours"])],
    }
    results: dict[str, dict[int, Result]] = {"baseline": {}, "ours": {}}
    try:
        for name, command in commands.items():
            apps[name] = start_server(command, project, workdir / f"{name}.log", ports[name])
            load(ports[name], bodies, 4, 25)  # warm-up: imports, first predict, connections
        for clients in CLIENTS:
            per_client = max(1, requests // clients)
            for name in ("baseline", "ours"):
                results[name][clients] = load(ports[name], bodies, clients, per_client)
    finally:
        for server in apps.values():
            server.stop()
    return results


def report(results: dict[str, dict[int, Result]]) -> str:
    lines = ["| app | clients | requests | errors | throughput (req/s) | p50 (ms) | p99 (ms) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, label in (("baseline", "baseline (naive)"), ("ours", "project app")):
        for clients, r in results[name].items():
            lines.append(
                f"| {label} | {clients} | {r.requests} | {r.errors} | {r.throughput:.0f} "
                f"| {r.percentile(50):.1f} | {r.percentile(99):.1f} |"
            )
    base, ours = results["baseline"], results["ours"]
    lines += [
        "",
        f"1 client: mean latency ratio (project / baseline) = "
        f"{statistics.mean(ours[1].latencies_ms) / statistics.mean(base[1].latencies_ms):.2f}, "
        f"p50 ratio = {ours[1].percentile(50) / base[1].percentile(50):.2f} (target <= 1.10)",
        f"16 clients: throughput ratio (project / baseline) = "
        f"{ours[16].throughput / base[16].throughput:.2f} (target >= 3), "
        f"project p99 = {ours[16].percentile(99):.1f} ms (target < 100)",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=800,
                        help="requests per app at 1 client, and again at 16 clients")
    parser.add_argument("--keep", type=Path, help="keep the project and server logs here")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="serving-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        print(report(run(args.requests, workdir)))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
