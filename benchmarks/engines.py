"""The pandas and spark engines side by side: time and peak memory of `kedro run`.

Generates two projects with the real starter in a temporary folder (`engine: pandas` and
`engine: spark`), writes the same synthetic raw file into both for each size (generated
once, then copied), and times `kedro run` (stages 01-04) in each, alternating which engine
goes first on every repeat so machine noise hits both alike. Peak memory is the largest
SUM of resident memory over the run's whole process tree (the Python driver, the JVM that
py4j spawns, any Python workers), sampled every 0.2 s by benchmarks/process_tree.py: the
peak of one process would leave the JVM out. Not a test: it prints a markdown table.

    .venv/bin/python benchmarks/engines.py                          # 1M and 5M rows
    .venv/bin/python benchmarks/engines.py --sizes 20000            # smoke run
    .venv/bin/python benchmarks/engines.py --sizes 200 --no-floor   # what the tests run
    .venv/bin/python benchmarks/engines.py --spark-conf spark.driver.memory=8g --keep /tmp/eng
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from pipeline_scale import (
    BIN,
    MIB,
    child_env,
    machine,
    node_lines,
    parse_sizes,
    raw_file,
    setup_step,
)
from process_tree import TreeSampler

ENGINES = ("pandas", "spark")
PROJECT_NAME = "Engine Bench {engine}"
SPARK_YML = Path("conf/base/spark.yml")
LOCAL_SPARK_YML = Path("conf/local/spark.yml")
SAMPLE_SECONDS = 0.2
FAILURE_MARKERS = ("OutOfMemoryError", "Java heap space", "GC overhead", "Error:", "Exception")


@dataclass
class Sample:
    seconds: float
    peak_mib: float
    jvm_mib: float
    exit_code: int
    log: Path
    by_name: dict[str, float]

    @property
    def failed(self) -> bool:
        return self.exit_code != 0


@dataclass
class SizeResult:
    rows: int
    csv_mib: float
    runs: dict[str, list[Sample]] = field(default_factory=lambda: {e: [] for e in ENGINES})

    def failure(self, engine: str) -> Sample | None:
        return next((s for s in self.runs[engine] if s.failed), None)

    def median(self, engine: str, attribute: str) -> float:
        return statistics.median(getattr(s, attribute) for s in self.runs[engine])


def check_prerequisites() -> None:
    """One line naming what to install, rather than a JVM or import traceback mid-run."""
    if importlib.util.find_spec("pyspark") is None:
        raise SystemExit(f"error: pyspark is not installed in {sys.prefix}: run "
                         f"`{BIN / 'pip'} install pyspark` (the spark engine needs it)")
    if java_binary() is None:
        raise SystemExit("error: no `java` on PATH and no JAVA_HOME: install a JDK 17 "
                         "(e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME")


def java_binary() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def java_version() -> str:
    binary = java_binary()
    if binary is None:
        return "no java"
    done = subprocess.run([binary, "-version"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)
    return (done.stderr or done.stdout).splitlines()[0].strip()


def pyspark_version() -> str:
    try:
        return version("pyspark")
    except PackageNotFoundError:
        return "not installed"


def new_project(parent: Path, engine: str, template_engine: str) -> Path:
    """`kedro new --config` with stdin closed, as a user scripting the starter would."""
    name = PROJECT_NAME.format(engine=engine.capitalize())
    config = parent / f"{engine}.yml"
    config.write_text(yaml.safe_dump(
        {"project_name": name, "output_dir": str(parent), "engine": template_engine}))
    setup_step([str(BIN / "kedro"), "new", "--starter=ml-structure", "--config", str(config)],
               parent)
    project = parent / name.lower().replace(" ", "-")
    if engine == "spark" and template_engine == "spark" and not (project / SPARK_YML).exists():
        raise SystemExit(f"error: the starter ignored `engine: spark` ({project / SPARK_YML} "
                         "was not generated): install a kedro-ml-structure with the spark "
                         "engine (`.venv/bin/pip install -e .`)")
    return project


def parse_spark_conf(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"expected key=value like spark.driver.memory=8g; "
                                         f"got {text!r}")
    return key.strip(), value.strip()


def apply_spark_conf(project: Path, pairs: list[tuple[str, str]]) -> None:
    """Writes the overrides into conf/local/spark.yml, which Kedro merges over conf/base."""
    if not pairs:
        return
    local = project / LOCAL_SPARK_YML
    settings = (yaml.safe_load(local.read_text()) or {}) if local.exists() else {}
    settings.update(pairs)
    local.write_text(yaml.safe_dump(settings, sort_keys=False))


def spark_settings(project: Path) -> str:
    """The Spark session settings in effect: conf/base/spark.yml, then conf/local's."""
    settings: dict = {}
    for path in (SPARK_YML, LOCAL_SPARK_YML):
        if (project / path).exists():
            settings.update(yaml.safe_load((project / path).read_text()) or {})
    if not settings:
        return "none (no conf/base/spark.yml)"
    return ", ".join(f"`{key}: {yaml.safe_dump(value).splitlines()[0]}`"
                     for key, value in settings.items())


def write_raw(projects: dict[str, Path], rows: int) -> None:
    """Generates the raw file once with benchmarks/synthetic.py, copies it across."""
    first, *others = projects.values()
    raw = raw_file(first)
    setup_step([sys.executable, str(Path(__file__).with_name("synthetic.py")), "--rows",
                str(rows), "--seed", "42", "--output", str(raw), "--force"], first)
    for project in others:
        shutil.copyfile(first / raw, project / raw_file(project))


def measure(command: list[str], cwd: Path, log: Path) -> Sample:
    """Wall time and the peak summed RSS of the process tree; a failure is recorded, not raised.

    The peak is the larger of the sampled sum and wait4's figure (the largest single process
    of the tree), since a sampler can miss a short spike.
    """
    with open(log, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=child_env(), stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid, SAMPLE_SECONDS).start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        peak = sampler.stop()
    largest_single = usage.ru_maxrss * 1024 / MIB
    return Sample(seconds, max(peak.total_mib, largest_single), peak.jvm_at_peak_mib,
                  os.waitstatus_to_exitcode(status), log, peak.by_name_at_peak)


def run_size(projects: dict[str, Path], rows: int | None, repeats: int,
             logs: Path) -> SizeResult:
    """rows=None keeps the shipped real file: the start-up floor of each engine."""
    if rows is not None:
        write_raw(projects, rows)
    raw = projects["pandas"] / raw_file(projects["pandas"])
    if rows is None:
        with open(raw) as lines:
            rows = sum(1 for _ in lines) - 1
    result = SizeResult(rows, raw.stat().st_size / MIB)
    for repeat in range(repeats):
        order = ENGINES if repeat % 2 == 0 else ENGINES[::-1]
        for engine in order:
            log = logs / f"{engine}_{rows}_{repeat}.log"
            sample = measure([str(BIN / "kedro"), "run"], projects[engine], log)
            result.runs[engine].append(sample)
            state = f"FAILED exit {sample.exit_code}, log {log}" if sample.failed else "ok"
            print(f"  {rows:>9,} rows, repeat {repeat + 1}/{repeats}, {engine}: "
                  f"{sample.seconds:.1f}s, peak tree {sample.peak_mib:.0f} MiB ({state})",
                  file=sys.stderr, flush=True)
    return result


def failure_line(sample: Sample) -> str:
    """The most telling line of a failed run's log: an OutOfMemoryError beats a last line."""
    lines = [line.strip() for line in sample.log.read_text(errors="replace").splitlines()
             if line.strip()]
    for marker in FAILURE_MARKERS:
        hit = next((line for line in lines if marker in line), None)
        if hit:
            return hit[:300]
    return lines[-1][:300] if lines else "(empty log)"


def cells(result: SizeResult) -> str:
    failed = {e: result.failure(e) for e in ENGINES}
    time_cells, memory_cells = [], []
    for engine in ENGINES:
        failure = failed[engine]
        if failure is not None:
            time_cells.append(f"failed (exit {failure.exit_code})")
            memory_cells.append(f"{result.median(engine, 'peak_mib'):,.0f} MiB before failing")
            continue
        time_cells.append(f"{result.median(engine, 'seconds'):.1f}s")
        jvm = result.median(engine, "jvm_mib")
        memory_cells.append(f"{result.median(engine, 'peak_mib'):,.0f} MiB"
                            + (f" (JVM {jvm:,.0f})" if jvm else ""))
    ratios = ["—", "—"]
    if not any(failed.values()):
        ratios = [f"{result.median('spark', a) / result.median('pandas', a):.2f}×"
                  for a in ("seconds", "peak_mib")]
    return (f"| {result.rows:,} | {result.csv_mib:.1f} | {time_cells[0]} | {time_cells[1]} "
            f"| {ratios[0]} | {memory_cells[0]} | {memory_cells[1]} | {ratios[1]} |")


def table(results: list[SizeResult]) -> str:
    lines = [
        ("| rows | raw CSV MiB | pandas time | spark time | spark / pandas time "
        "| pandas peak tree RSS | spark peak tree RSS | spark / pandas memory |"),
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines.extend(cells(result) for result in results)
    return "\n".join(lines)


def header(spark_project: Path, repeats: int, loads: tuple[float, float], stand_in: bool,
           note: str | None) -> str:
    lines = [
        f"{machine()}, pyspark {pyspark_version()}; {java_version()}.",
        f"Load average (1 min) {loads[0]:.2f} at the start, {loads[1]:.2f} at the end"
        + (f"; {note}" if note else "") + ".",
        (f"Spark settings (conf/base/spark.yml, then conf/local/spark.yml): "
        f"{spark_settings(spark_project)}."),
        (f"Median of {repeats} run(s) per size, engines alternating. Time: wall clock of "
        f"`kedro run` (stages 01–04, JVM start included). Peak tree RSS: the largest sum of "
        f"RSS over the run's process tree (driver + JVM + workers), sampled every "
        f"{SAMPLE_SECONDS} s; the JVM's part of it in brackets."),
    ]
    if stand_in:
        lines.insert(0, "**STAND-IN RUN: the 'spark' project was generated with "
                        "`engine: pandas` (developing the benchmark, not a result).**")
    return "\n".join(lines)


def floor_line(floor: SizeResult | None) -> str:
    if floor is None:
        return "Start-up floor: not measured (--no-floor)."
    parts = []
    for engine in ENGINES:
        failure = floor.failure(engine)
        if failure is not None:
            parts.append(f"{engine} failed ({failure_line(failure)})")
        else:
            parts.append(f"{engine} {floor.median(engine, 'seconds'):.1f}s / "
                         f"{floor.median(engine, 'peak_mib'):,.0f} MiB")
    return f"Start-up floor (the shipped {floor.rows}-row file): " + ", ".join(parts) + "."


def composition(sample: Sample) -> str:
    """What the peak was made of, by process name (kedro is the Python driver)."""
    parts = sorted(sample.by_name.items(), key=lambda item: -item[1])
    return ", ".join(f"{name} {mib:,.0f}" for name, mib in parts if mib >= 1) + " MiB"


def report_details(floor: SizeResult | None, results: list[SizeResult]) -> None:
    print("\nPeak tree RSS by process (last run of each size; kedro is the Python driver):\n")
    for result in [*([floor] if floor else []), *results]:
        print(f"- {result.rows:,} rows: " + "; ".join(
            f"{engine}: {composition(result.runs[engine][-1])}" for engine in ENGINES))
    for result in results:
        for engine in ENGINES:
            failed = result.failure(engine)
            if failed:
                print(f"\n{engine} at {result.rows:,} rows failed (exit {failed.exit_code}, "
                      f"log {failed.log}): {failure_line(failed)}")
    largest = results[-1]
    for engine in ENGINES:
        steps = node_lines(largest.runs[engine][-1].log)
        if steps:
            print(f"\nPer node, {engine}, {largest.rows:,} rows (last run, progress view; its "
                  "peak is the driver process alone):\n")
            print(f"```\n{steps}\n```")


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[1_000_000, 5_000_000],
                        help="comma-separated row counts (default 1000000,5000000)")
    parser.add_argument("--repeats", type=int, default=1,
                        help="runs of each engine per size (default 1: 5M spark runs are long)")
    parser.add_argument("--keep", type=Path, help="keep the projects and logs in this new folder")
    parser.add_argument("--spark-conf", type=parse_spark_conf, action="append", default=[],
                        metavar="KEY=VALUE",
                        help="written to the spark project's conf/local/spark.yml (repeatable)")
    parser.add_argument("--note", help="a remark for the header, e.g. what else was running")
    parser.add_argument("--no-floor", action="store_true",
                        help="skip the start-up floor (one run of each engine on the shipped "
                             "file): a smoke run costs one JVM start less")
    parser.add_argument("--stand-in", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.keep and args.keep.exists():
        parser.error(f"--keep {args.keep} already exists: name a new folder")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if not args.stand_in:
        check_prerequisites()
    with tempfile.TemporaryDirectory(prefix="engines-") as scratch:
        parent = args.keep or Path(scratch)
        parent.mkdir(parents=True, exist_ok=True)
        template_engines = {"pandas": "pandas", "spark": "pandas" if args.stand_in else "spark"}
        projects = {e: new_project(parent, e, template_engines[e]) for e in ENGINES}
        apply_spark_conf(projects["spark"], args.spark_conf)
        logs = parent / "logs"
        logs.mkdir()
        print(f"projects: {', '.join(map(str, projects.values()))}", file=sys.stderr)
        load_start = os.getloadavg()[0]
        floor = None if args.no_floor else run_size(projects, None, 1, logs)
        results = [run_size(projects, rows, args.repeats, logs) for rows in sorted(args.sizes)]
        loads = (load_start, os.getloadavg()[0])
        print(f"\n{header(projects['spark'], args.repeats, loads, args.stand_in, args.note)}\n")
        print(floor_line(floor) + "\n")
        print(table(results))
        report_details(floor, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
