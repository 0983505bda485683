"""Benchmark: single-row predict, the generated project's app against the stack's limit.

    .venv/bin/python benchmarks/serving.py [--engine pandas|spark] [--requests 800] [--keep DIR]
    .venv/bin/python benchmarks/serving.py --project TRAINED --requests 32 --rounds 1  # smoke

Generates a project with the starter (`--engine`) and trains it (`kedro run`), then starts
three apps as real uvicorn processes on 127.0.0.1: (a) benchmarks/constant_app.py, an
`async def` endpoint validating the project's own request model and returning a constant
answer (the stack's limit); (b) a baseline: with pandas, benchmarks/baseline_app.py, the
naive app (per-request DataFrame + transform + predict with the pickled model); with
Spark, `kedro serve` with `serving.runtime: spark` (the fitted Spark ML pipeline, a Spark
job per request, as Spark projects served before the ONNX export; it gets a twentieth of
the requests: each takes tenths of a second); (c) the project's own app, `kedro serve`
(ONNX). Each is loaded with 1 client, then 16 concurrent clients (keep-alive connections,
one thread each, bounded request counts), the apps taking turns at each level so a busy
machine slows all alike; the whole sequence runs `--rounds` times. Prints throughput and
p50/p99 latency of the median round, and the project app's ratios to the other two
(medians over the rounds).
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

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.api.server_process import HOST, ServerProcess, free_port, start_server
from tests.support import KEDRO, PYTHON, kedro, new_project

CLIENTS = (1, 16)
APPS = {"constant": "constant endpoint", "baseline": "baseline", "ours": "project app"}
BASELINES = {"pandas": "baseline (naive)", "spark": "baseline (runtime: spark)"}
SPARK_RUNTIME_ENV = "spark_runtime"  # a conf/ environment serving with Spark ML


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


def trained_project(parent: Path, engine: str) -> Path:
    project = new_project(parent, config={"project_name": "Penguin Lab", "engine": engine})
    kedro(["run"], project, check=True)
    return project


def spark_runtime_env(project: Path) -> None:
    """conf/spark_runtime/: the project's serving settings with `runtime: spark`."""
    base = yaml.safe_load((project / "conf/base/parameters_api.yml").read_text())
    folder = project / "conf" / SPARK_RUNTIME_ENV
    folder.mkdir(exist_ok=True)
    serving = {**base["serving"], "runtime": "spark"}
    (folder / "parameters_api.yml").write_text(yaml.safe_dump({"serving": serving}))


Results = dict[str, dict[int, Result]]


def run(engine: str, requests: int, rounds: int, workdir: Path,
        project: Path | None = None) -> list[Results]:
    if project is None:
        project = trained_project(workdir, engine)
    else:  # served from a copy: the Spark baseline adds a conf/ environment
        project = Path(shutil.copytree(project, workdir / project.name, symlinks=True))
    bodies = request_bodies(project)
    ports = {name: free_port() for name in APPS}
    if engine == "spark":
        spark_runtime_env(project)
        baseline = [KEDRO, "serve", "--env", SPARK_RUNTIME_ENV, "--port", str(ports["baseline"])]
    else:
        baseline = [PYTHON, str(REPO / "benchmarks" / "baseline_app.py"), str(project),
                    str(ports["baseline"])]
    commands = {
        "constant": [PYTHON, str(REPO / "benchmarks" / "constant_app.py"), str(project),
                     str(ports["constant"])],
        "baseline": baseline,
        "ours": [KEDRO, "serve", "--port", str(ports["ours"])],
    }
    # The Spark runtime answers in tenths of a second: a twentieth of the requests.
    counts = {name: requests // 20 if engine == "spark" and name == "baseline" else requests
              for name in APPS}
    servers: dict[str, ServerProcess] = {}
    runs: list[Results] = []
    try:
        for name, command in commands.items():
            servers[name] = start_server(command, project, workdir / f"{name}.log", ports[name],
                                         timeout=300)
            load(ports[name], bodies, 4, 25)  # warm-up: imports, first predict, connections
        for _ in range(rounds):
            results: Results = {name: {} for name in APPS}
            for clients in CLIENTS:
                for name in APPS:
                    per_client = max(1, counts[name] // clients)
                    results[name][clients] = load(ports[name], bodies, clients, per_client)
            runs.append(results)
    finally:
        for server in servers.values():
            server.stop()
    return runs


def ratios(results: Results) -> dict[str, float]:
    ours, limit, naive = results["ours"], results["constant"], results["baseline"]
    return {
        "p50_vs_constant": ours[1].percentile(50) / limit[1].percentile(50),
        "throughput_vs_constant": ours[16].throughput / limit[16].throughput,
        "p50_vs_baseline": ours[1].percentile(50) / naive[1].percentile(50),
        "throughput_vs_baseline": ours[16].throughput / naive[16].throughput,
        "errors": sum(r.errors for per_app in results.values() for r in per_app.values()),
    }


def report(runs: list[Results], engine: str) -> str:
    per_run = [ratios(results) for results in runs]
    middle = sorted(range(len(runs)), key=lambda i: per_run[i]["p50_vs_constant"])[len(runs) // 2]
    lines = ["| app | clients | requests | errors | throughput (req/s) | p50 (ms) | p99 (ms) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, label in {**APPS, "baseline": BASELINES[engine]}.items():
        for clients, r in runs[middle][name].items():
            lines.append(
                f"| {label} | {clients} | {r.requests} | {r.errors} | {r.throughput:.0f} "
                f"| {r.percentile(50):.2f} | {r.percentile(99):.2f} |"
            )

    def median(key: str) -> float:
        return statistics.median(r[key] for r in per_run)

    def each(key: str) -> str:
        return ", ".join(f"{r[key]:.2f}" for r in per_run)

    lines += [
        "",
        f"(table: the median of {len(runs)} rounds)",
        (f"1 client p50, project / constant endpoint = {median('p50_vs_constant'):.2f} "
        f"(target <= 1.5; rounds: {each('p50_vs_constant')})"),
        (f"16 clients throughput, project / constant endpoint = "
        f"{median('throughput_vs_constant'):.2f} (target >= 0.6; rounds: "
        f"{each('throughput_vs_constant')})"),
        (f"1 client p50, project / {BASELINES[engine]} = {median('p50_vs_baseline'):.3f}; "
        f"16 clients throughput, project / {BASELINES[engine]} = "
        f"{median('throughput_vs_baseline'):.1f}"),
        f"errors: {sum(int(r['errors']) for r in per_run)} (target 0)",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=sorted(BASELINES), default="pandas",
                        help="the engine of the generated project (spark needs Java 17+)")
    parser.add_argument("--requests", type=int, default=800,
                        help="requests per app at 1 client, and again at 16 clients")
    parser.add_argument("--rounds", type=int, default=3,
                        help="times the whole sequence runs; ratios are medians over them")
    parser.add_argument("--keep", type=Path, help="keep the project and server logs here")
    parser.add_argument("--project", type=Path,
                        help="a project of --engine already trained (`kedro run`), served "
                             "from a copy instead of generating and training one")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="serving-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        print(report(run(args.engine, args.requests, args.rounds, workdir, args.project),
                     args.engine))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
