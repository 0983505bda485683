"""How the generated pipelines scale, and what Kedro costs on top of a plain script.

Generates a project with the starter in a temporary folder, then for each size writes a
synthetic raw file with benchmarks/synthetic.py and times `kedro run` (stages 01-04)
against benchmarks/plain_pipeline.py (the same node functions and file I/O, no Kedro),
alternating the two on every repeat so machine noise hits both alike. Each run is its own
process: wall time is measured around it, peak memory is that process's peak resident
set size (`os.wait4`). Not a test: it prints figures (a markdown table for the README).

    .venv/bin/python benchmarks/pipeline_scale.py                      # 10k, 100k, 1M
    .venv/bin/python benchmarks/pipeline_scale.py --sizes 10000,100000 --repeats 1
    .venv/bin/python benchmarks/pipeline_scale.py --with-5m            # adds 5M rows

Goals (issue 6): at 1M rows Kedro's overhead under 15% of the plain script's time, and
peak memory under 3x the raw frame's in-memory size.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BIN = Path(sys.executable).parent
PLAIN = Path(__file__).with_name("plain_pipeline.py")
GENERATOR = Path(__file__).with_name("synthetic.py")
PROJECT_NAME = "Scale Bench"
MIB = 1024 * 1024
PROGRESS = re.compile(r"^(\[ *\d+/\d+\] |done: )")


@dataclass
class Sample:
    seconds: float
    peak_mib: float


@dataclass
class SizeResult:
    rows: int
    csv_mib: float
    frame_mib: float
    kedro: list[Sample] = field(default_factory=list)
    plain: list[Sample] = field(default_factory=list)

    def median(self, runner: str, attribute: str) -> float:
        return statistics.median(getattr(s, attribute) for s in getattr(self, runner))


def child_env() -> dict[str, str]:
    env = dict(os.environ, KEDRO_DISABLE_TELEMETRY="1", DO_NOT_TRACK="1", PIPELINE_PROGRESS="1")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    return env


def measure(command: list[str], cwd: Path, log: Path) -> Sample:
    """Wall time and peak RSS of one child process (its own rusage, from wait4)."""
    with open(log, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=child_env(), stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    return Sample(seconds, usage.ru_maxrss * 1024 / MIB)


def setup_step(command: list[str], cwd: Path, **extra_env: str) -> None:
    """Runs a set-up command (stdin closed); stops the benchmark with its output if it fails."""
    done = subprocess.run(command, cwd=cwd, env=dict(child_env(), **extra_env),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n"
                         f"{done.stdout[-2000:]}{done.stderr[-2000:]}")


def new_project(parent: Path) -> Path:
    setup_step([str(BIN / "kedro"), "new", "--starter=ml-structure", "--name", PROJECT_NAME],
               parent)
    return parent / "scale-bench"


def raw_file(project: Path) -> Path:
    """The raw data file `kedro run` reads, relative to the project: the catalog's one
    dataset stored in the manifest's raw data folder (read from the project, not assumed)."""
    from kedro_ml_starter.kinds import DataRole

    paths = stored_in(project, DataRole.RAW)
    if len(paths) != 1:
        raise SystemExit(f"error: expected one dataset in the raw data folder of {project}'s "
                         f"catalog, found {len(paths)}")
    return Path(next(iter(paths.values())))


def stored_in(project: Path, role: str) -> dict[str, str]:
    """The catalog's datasets stored in the data folder of a role (`DataRole`), by name, and
    their file paths (the catalog as Kedro merges and interpolates it)."""
    from kedro_ml_starter.manifest import load_manifest
    from kedro_plugin_layout.project.catalog import load_catalog

    manifest = load_manifest(project)
    folder = next(data.folder for data in manifest.data if data.role == role)
    prefix = f"{manifest.data_root}/{folder}/"
    return {name: entry["filepath"] for name, entry in load_catalog(project).items()
            if str(entry.get("filepath") or "").startswith(prefix)}


def write_raw(project: Path, rows: int) -> None:
    setup_step([sys.executable, str(GENERATOR), "--rows", str(rows), "--seed", "42",
                "--output", str(raw_file(project)), "--force"], project)


def frame_mib(project: Path) -> float:
    """The raw file's in-memory size as pandas reads it by default: the yardstick for memory."""
    import pandas as pd

    return pd.read_csv(project / raw_file(project)).memory_usage(deep=True).sum() / MIB


def run_size(project: Path, rows: int | None, repeats: int, logs: Path) -> SizeResult:
    """rows=None keeps the shipped real file: the import floor of both processes."""
    if rows is not None:
        write_raw(project, rows)
    raw = project / raw_file(project)
    if rows is None:
        with open(raw) as lines:
            rows = sum(1 for _ in lines) - 1
    result = SizeResult(rows, raw.stat().st_size / MIB, frame_mib(project))
    commands = {
        "kedro": [str(BIN / "kedro"), "run"],
        "plain": [sys.executable, str(PLAIN), str(project), str(logs / "plain_out")],
    }
    for repeat in range(repeats):
        order = ("kedro", "plain") if repeat % 2 == 0 else ("plain", "kedro")
        for runner in order:
            log = logs / f"{runner}_{result.rows}_{repeat}.log"
            getattr(result, runner).append(measure(commands[runner], project, log))
        print(f"  {result.rows:>9,} rows, repeat {repeat + 1}/{repeats}: "
              + ", ".join(f"{r} {getattr(result, r)[-1].seconds:.1f}s" for r in order),
              file=sys.stderr, flush=True)
    return result


def machine() -> str:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kib = int(meminfo.read_text().split()[1])
        memory = f", {total_kib / 1024**2:.0f} GiB RAM"
    from importlib.metadata import version

    libraries = ", ".join(
        f"{name} {version(name)}" for name in ("kedro", "pandas", "pyarrow", "scikit-learn")
    )
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.system()} "
            f"{platform.machine()}, {os.cpu_count()} cores{memory}; Python "
            f"{platform.python_version()}, {libraries}")


def table(results: list[SizeResult], floor: SizeResult) -> str:
    kedro_floor, plain_floor = floor.median("kedro", "peak_mib"), floor.median("plain", "peak_mib")
    lines = [
        (f"Import floor (the shipped {floor.rows}-row file): kedro run "
        f"{floor.median('kedro', 'seconds'):.1f}s / {kedro_floor:.0f} MiB, plain script "
        f"{floor.median('plain', 'seconds'):.1f}s / {plain_floor:.0f} MiB."),
        "",
        ("| rows | raw CSV | raw frame in memory | kedro run | plain script | kedro / plain "
        "| kedro − plain "
        "| kedro peak RSS | plain peak RSS | kedro peak / frame | (kedro peak − floor) / frame "
        "| time × vs previous size |"),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    previous = None
    for r in results:
        kedro_s, plain_s = r.median("kedro", "seconds"), r.median("plain", "seconds")
        kedro_peak, plain_peak = r.median("kedro", "peak_mib"), r.median("plain", "peak_mib")
        growth = "—"
        if previous is not None:
            growth = (f"rows ×{r.rows / previous.rows:.0f}: kedro "
                      f"×{kedro_s / previous.median('kedro', 'seconds'):.1f}, plain "
                      f"×{plain_s / previous.median('plain', 'seconds'):.1f}")
        lines.append(
            f"| {r.rows:,} | {r.csv_mib:.1f} MiB | {r.frame_mib:.1f} MiB | {kedro_s:.1f}s "
            f"| {plain_s:.1f}s | {kedro_s / plain_s:.2f} | {kedro_s - plain_s:+.1f}s "
            f"| {kedro_peak:.0f} MiB "
            f"| {plain_peak:.0f} MiB | {kedro_peak / r.frame_mib:.1f}× "
            f"| {(kedro_peak - kedro_floor) / r.frame_mib:.1f}× | {growth} |"
        )
        previous = r
    return "\n".join(lines)


def node_lines(log: Path) -> str:
    """The progress view's lines from one `kedro run` log: where the time goes per node."""
    lines = log.read_text(errors="replace").splitlines()
    return "\n".join(line for line in lines if PROGRESS.match(line))


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 100:
        raise argparse.ArgumentTypeError(
            f"expected row counts >= 100 like 10000,100000; got {text!r}"
        )
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[10_000, 100_000, 1_000_000],
                        help="comma-separated row counts (default 10000,100000,1000000)")
    parser.add_argument("--with-5m", action="store_true", help="add 5,000,000 rows")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each per size (default 3)")
    parser.add_argument("--keep", type=Path, help="keep the project and logs in this new folder")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    sizes = sorted(set(args.sizes + ([5_000_000] if args.with_5m else [])))

    with tempfile.TemporaryDirectory(prefix="pipeline-scale-") as scratch:
        parent = args.keep or Path(scratch)
        if args.keep:
            parent.mkdir(parents=True)
        project = new_project(parent)
        logs = parent / "logs"
        logs.mkdir()
        print(f"project: {project}", file=sys.stderr)
        floor = run_size(project, None, args.repeats, logs)
        results = [run_size(project, rows, args.repeats, logs) for rows in sizes]
        print(f"\n{machine()}; median of {args.repeats} alternating runs per size.\n")
        print(table(results, floor))
        largest = results[-1]
        last_log = logs / f"kedro_{largest.rows}_{args.repeats - 1}.log"
        print(f"\nPer node at {largest.rows:,} rows (last `kedro run`, progress view):\n")
        print(f"```\n{node_lines(last_log)}\n```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
