"""Every script under benchmarks/ runs here at a tiny size, as its docstring says to run it,
and prints what it is for: labelled figures and ratios that parse and are sane. Timings
are never asserted (they depend on the machine); that the benchmark still works is.

Run them as a user would, in a subprocess with stdin closed, against projects the real
starter generates (the session's where a script can take one, to keep the suite short).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.support import PYTHON, run

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"
NUMBER = r"[\d,]+(?:\.\d+)?"
# How each script runs in this file: a command of its own, or inside another's run.
RUN_BY = {
    "pipeline_scale.py": "test_pipeline_scale_prints_the_table_at_a_tiny_size",
    "plain_pipeline.py": "pipeline_scale.py, and test_the_plain_baseline_does_kedro_runs_work",
    "engines.py": "test_engines_compares_pandas_and_spark_at_a_tiny_size",
    "process_tree.py": "engines.py (the peak memory of each run's process tree)",
    "serving.py": "test_serving_loads_three_apps_at_a_tiny_size_and_stops_them",
    "constant_app.py": "serving.py", "baseline_app.py": "serving.py",
    "cli_overhead.py": "test_cli_overhead_times_every_variant_once",
    "check_cpu_ab.py": "test_check_cpu_ab_compares_two_installations_once",
    "synthetic.py": "tests/benchmarks/test_synthetic.py, and pipeline_scale.py",
    "spark_cluster.py": "test_spark_cluster_times_local_mode_and_a_cluster_once",
}


def benchmark(script: str, *args: str, cwd: Path = ROOT) -> str:
    """Runs benchmarks/<script> with `args`; its stdout, once it exited 0."""
    result = run([PYTHON, str(BENCHMARKS / script), *args], cwd, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def table_rows(output: str, first_cell: str) -> list[list[str]]:
    """The cells of the markdown table rows whose first cell is `first_cell`."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in output.splitlines() if line.startswith("|")]
    return [row for row in rows if row[0] == first_cell]


def number(text: str) -> float:
    match = re.search(NUMBER, text)
    assert match, text
    return float(match.group().replace(",", ""))


def test_every_script_under_benchmarks_is_run_by_these_tests():
    scripts = {path.name for path in BENCHMARKS.glob("*.py")}
    assert scripts == set(RUN_BY)


def test_pipeline_scale_prints_the_table_at_a_tiny_size():
    output = benchmark("pipeline_scale.py", "--sizes", "200", "--repeats", "1")

    assert re.search(r"\d+ cores, \d+ GiB RAM; Python [\d.]+, kedro [\d.]+", output)
    floor = re.search(rf"Import floor \(the shipped (\d+)-row file\): kedro run ({NUMBER})s / "
                      rf"({NUMBER}) MiB, plain script ({NUMBER})s / ({NUMBER}) MiB", output)
    assert floor and all(float(value) > 0 for value in floor.groups())
    [row] = table_rows(output, "200")
    kedro_s, plain_s, ratio = number(row[3]), number(row[4]), number(row[5])
    assert kedro_s > 0 and plain_s > 0 and 0.1 < ratio < 20
    assert ratio == pytest.approx(kedro_s / plain_s, abs=0.1)
    assert number(row[7]) > 0 and number(row[8]) > 0  # peak RSS of each process, MiB
    assert "Per node at 200 rows" in output and re.search(r"done: \d+ nodes in", output)


def test_the_plain_baseline_does_kedro_runs_work(trained_project: Path, generated_project: Path,
                                                 project_copy, tmp_path: Path):
    """Same nodes, same data, same results as `kedro run`: only Kedro's machinery differs."""
    project = project_copy(generated_project)
    outputs = tmp_path / "plain"

    benchmark("plain_pipeline.py", str(project), str(outputs))

    kedro_wrote = {p.relative_to(trained_project).as_posix() for p in
                   [*trained_project.glob("data/*/*"), *trained_project.glob("models/*")]
                   if p.name not in {".gitkeep", "README.md"}}
    plain_wrote = {p.relative_to(outputs).as_posix() for p in outputs.rglob("*") if p.is_file()}
    inputs = {p.relative_to(project).as_posix() for p in project.glob("data/*/*")}
    assert plain_wrote == kedro_wrote - inputs
    metrics = next(p for p in plain_wrote if p.endswith("metrics.json"))
    assert json.loads((outputs / metrics).read_text()) == json.loads(
        (trained_project / metrics).read_text())


def test_engines_compares_pandas_and_spark_at_a_tiny_size():
    output = benchmark("engines.py", "--sizes", "200", "--no-floor")

    assert re.search(r"pyspark [\d.]+; openjdk version", output)
    assert "Start-up floor: not measured (--no-floor)." in output
    [row] = table_rows(output, "200")
    pandas_s, spark_s = number(row[2]), number(row[3])
    assert pandas_s > 0 and spark_s > 0
    assert number(row[4]) == pytest.approx(spark_s / pandas_s, rel=0.05)  # spark / pandas time
    assert re.fullmatch(rf"{NUMBER} MiB \(JVM {NUMBER}\)", row[6])  # the JVM is counted
    assert number(row[6].split("(JVM")[1]) > 0
    assert re.search(r"- 200 rows: pandas: kedro [\d,]+ MiB; spark: java [\d,]+", output)
    assert "Per node, spark, 200 rows" in output and "failed" not in output


@pytest.mark.spark
def test_spark_cluster_times_local_mode_and_a_cluster_once(tmp_path: Path):
    """One stage each way (the full run is what docs/spark.md reports); the cluster it
    started is gone afterwards."""
    keep = tmp_path / "bench"
    output = benchmark("spark_cluster.py", "--repeats", "1", "--pipelines",
                       "01_data_preprocessing", "--keep", str(keep))

    assert re.search(r"\d+ cores.*; pyspark [\d.]+\. Load average", output)
    [local] = table_rows(output, "local mode (local[*])")
    [cluster] = table_rows(output, "one-worker cluster")
    assert number(local[2]) > 0 and number(local[3]) == 1.0
    assert number(cluster[3]) == pytest.approx(number(cluster[2]) / number(local[2]), abs=0.01)
    assert list((keep / "cluster" / "work").glob("app-*/*/stderr"))  # executors ran
    assert _processes_in(keep) == []


def _processes_in(folder: Path) -> list[str]:
    """Processes still running with their working directory in `folder`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if cwd.startswith(str(folder)):
            found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
    return found


def test_serving_loads_three_apps_at_a_tiny_size_and_stops_them(trained_project: Path,
                                                                tmp_path: Path):
    workdir = tmp_path / "serving"

    output = benchmark("serving.py", "--project", str(trained_project), "--requests", "32",
                       "--rounds", "1", "--keep", str(workdir))

    for app in ("constant endpoint", "baseline (naive)", "project app"):
        rows = table_rows(output, app)
        assert [row[1] for row in rows] == ["1", "16"], app
        for row in rows:
            assert int(row[2]) > 0 and row[3] == "0" and number(row[4]) > 0, row
    ratios = re.findall(rf"= ({NUMBER}) \(target", output)
    assert len(ratios) == 2 and all(float(r) > 0 for r in ratios)
    assert re.search(rf"project / baseline \(naive\) = {NUMBER}; 16 clients", output)
    assert "errors: 0 (target 0)" in output
    assert _processes_in(workdir) == []  # every server it started is gone


def test_cli_overhead_times_every_variant_once(hook_python: Path):
    output = benchmark("cli_overhead.py", "--repeat", "1", "--hook", str(hook_python))

    for label in ("kedro --help (plugin hidden)", "kedro --help (with plugin)",
                  "kedro layout check", "python -m kedro_plugin_layout check",
                  "same, no project dependency (hook)", "repo-review (sp-repo-review checks)",
                  "hook on spaceflights (after init)"):
        assert re.search(rf"^  {re.escape(label)} +{NUMBER} s  \({NUMBER} s\)$", output,
                         re.MULTILINE), label
    for label in ("kedro layout check / kedro --help", "python -m ... check / repo-review",
                  "hook (no project dependency) / repo-review"):
        line = re.search(rf"^  {re.escape(label)} +({NUMBER})x .*target <= 1.2x: (met|MISSED)$",
                         output, re.MULTILINE)
        assert line and 0 < float(line.group(1)) < 20, label
    assert re.search(rf"import kedro_plugin_layout.cli \(median\) +{NUMBER} ms", output)
    assert "generated project: KL402 pass; training on the test split: KL402 fail" in output
    assert re.search(r"spaceflights after `kedro layout init`: \d+ rules, \d+ passed, "
                     r"0 failed, skipped KL202", output)


def test_check_cpu_ab_compares_two_installations_once(generated_project: Path):
    here = str(Path(PYTHON).parent)  # the same installation on both sides: a ratio near 1
    output = benchmark("check_cpu_ab.py", here, here, "--repeat", "1",
                       "--project", str(generated_project))

    assert re.search(r"\d+ CPUs, 1 runs each, interleaved; CPU seconds", output)
    for label in ("python -m kedro_plugin_layout check", "kedro layout check", "kedro --help"):
        line = re.search(rf"^  {re.escape(label)} +before ({NUMBER}) \({NUMBER}\)  "
                         rf"after ({NUMBER}) \({NUMBER}\)  ({NUMBER})x$", output, re.MULTILINE)
        assert line, label
        before, after, ratio = (float(line.group(i)) for i in (1, 2, 3))
        assert before > 0 and after > 0 and 0 < ratio < 20

