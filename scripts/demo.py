"""`make demo`: creates a project with the `ml-structure` starter and runs it end to end.

`make demo ENGINE=spark` (`scripts/demo.py --engine spark`) does the same with the Spark
engine (needs Java 17+; pyspark is installed by `make install`).

The project goes in ./demo/<fresh name>: an existing folder is never reused or overwritten
(a second demo gets `penguin-demo-2`, and so on), and a ./demo that is not a folder stops
the demo with one line. Each step runs the command a user would type, prints one line,
and on failure shows the command's output and exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "demo"
KEDRO = str(Path(sys.executable).parent / "kedro")
STAGES = ("01_data_preprocessing", "02_feature_engineering", "03_model_training",
          "04_model_evaluation")
SCORING_STAGE = "05_api"


class DemoError(Exception):
    """Raised when a step fails; the message says which and what it printed."""


def _env() -> dict[str, str]:
    env = dict(os.environ, KEDRO_DISABLE_TELEMETRY="1", DO_NOT_TRACK="1", NO_COLOR="1")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def step(title: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs one command with stdin closed; prints its title, result and time."""
    print(f"  {title:<58}", end="", flush=True)
    started = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=_env(), stdin=subprocess.DEVNULL,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        print("FAILED")
        raise DemoError(
            f"`{' '.join(args)}` exited {result.returncode} in {cwd}:\n"
            f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    print(f"ok  {elapsed:5.1f}s")
    return result


def fresh_project_name(parent: Path) -> tuple[str, str]:
    """(project name, folder) for a project that does not exist yet under `parent`."""
    for number in range(1, 1000):
        suffix = "" if number == 1 else f" {number}"
        name = f"Penguin Demo{suffix}"
        folder = name.lower().replace(" ", "-")
        if not (parent / folder).exists():
            return name, folder
    raise DemoError(f"{parent} holds 999 demo projects; remove some (or run `make clean`)")


def create_project(engine: str = "pandas") -> Path:
    if DEMO_DIR.exists() and not DEMO_DIR.is_dir():
        raise DemoError(f"{DEMO_DIR} exists and is not a folder; move it away to run the demo")
    DEMO_DIR.mkdir(exist_ok=True)
    name, folder = fresh_project_name(DEMO_DIR)
    if engine == "pandas":
        step(f'kedro new --starter=ml-structure --name "{name}"',
             [KEDRO, "new", "--starter=ml-structure", "--name", name], DEMO_DIR)
        return DEMO_DIR / folder
    # The engine is a --config key; the file lives next to the project, not in it.
    config = DEMO_DIR / f"{folder}.yml"
    config.write_text(json.dumps({"project_name": name, "engine": engine,
                                  "output_dir": str(DEMO_DIR)}), encoding="utf-8")
    step(f"kedro new --starter=ml-structure --config {config.name}",
         [KEDRO, "new", "--starter=ml-structure", "--config", str(config)], DEMO_DIR)
    return DEMO_DIR / folder


def run_pipelines(project: Path) -> None:
    step("kedro run  (stages 01-04)", [KEDRO, "run"], project)
    for stage in STAGES:
        step(f"kedro run --pipelines {stage}", [KEDRO, "run", "--pipelines", stage], project)
    step(f"kedro run --pipelines {SCORING_STAGE}  (batch scoring)",
         [KEDRO, "run", "--pipelines", SCORING_STAGE], project)


def report(project: Path) -> None:
    metrics = json.loads((project / "data/05_reporting/metrics.json").read_text())
    print("\nMetrics (data/05_reporting/metrics.json):")
    print(f"  {'split':<6} {'rows':>5} {'accuracy':>9} {'macro F1':>9}")
    for split in ("eval", "test"):
        result = metrics[split]
        print(f"  {split:<6} {result['rows']:>5} {result['accuracy']:>9.3f} "
              f"{result['f1_macro']:>9.3f}")
    import pandas as pd

    path = next(project.glob("data/06_scoring/predictions.*"))  # .csv, or .parquet (Spark)
    frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    predictions = frame.astype(str).to_dict("records")
    print(f"\nBatch predictions ({path.relative_to(project)}, {len(predictions)} rows):")
    for row in predictions:
        best = max((k for k in row if k.startswith("probability_")), key=lambda k: float(row[k]))
        print(f"  {row['island']:<10} bill {row['bill_length_mm']:>5} mm  "
              f"flipper {row['flipper_length_mm']:>5} mm  ->  {row['predicted_species']:<9} "
              f"(p={float(row[best]):.3f})")
    print(f"\nEvaluation figure: {project / 'data/05_reporting/evaluation.png'}")


# Later steps (e.g. starting the HTTP app and sending a request) append themselves here.
STEPS: list[Callable[[Path], None]] = [run_pipelines, report]


def serve_and_predict(project: Path) -> None:
    """Starts `kedro serve` on a free port, sends one prediction request, stops the server."""
    import signal
    import socket
    import tempfile
    import urllib.error
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    print(f"\n  {f'kedro serve --port {port}':<58}", end="", flush=True)
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen([KEDRO, "serve", "--port", str(port)], cwd=project, env=_env(),
                                  stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/ready", timeout=2):
                        break
                except (urllib.error.URLError, ConnectionError) as error:
                    if server.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise DemoError(f"the server did not get ready ({error}):\n"
                                        f"{log.read().decode(errors='replace')[-3000:]}") from None
                    time.sleep(0.3)
            print("ready")
            row = {"island": "Biscoe", "bill_length_mm": 48.4, "bill_depth_mm": 14.4,
                   "flipper_length_mm": 203, "body_mass_g": 4625, "sex": "female", "year": 2009}
            request = urllib.request.Request(f"{url}/predict", data=json.dumps(row).encode(),
                                             headers={"content-type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                answer = json.loads(response.read())
            print(f"  POST {url}/predict\n    {json.dumps(row)}\n    -> {json.dumps(answer)}")
        finally:
            server.send_signal(signal.SIGTERM)
            code = server.wait(timeout=30)
    print(f"  {'server stopped (SIGTERM)':<58}{'ok' if code == 0 else f'exit {code}'}")
    if code != 0:
        raise DemoError(f"`kedro serve` exited {code} on SIGTERM")


STEPS.append(serve_and_predict)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("pandas", "spark"), default="pandas",
                        help="the starter's engine (default pandas)")
    engine = parser.parse_args(argv).engine
    print(f"Demo of the ml-structure starter ({engine} engine), in {DEMO_DIR}")
    try:
        project = create_project(engine)
        for action in STEPS:
            action(project)
    except DemoError as error:
        print(f"demo failed: {error}", file=sys.stderr)
        return 1
    print(f"\nDone. The project is {project}; see its README.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
