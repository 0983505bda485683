"""What the `kedro layout` plugin costs: run with `.venv/bin/python benchmarks/cli_overhead.py`.

Generates a project with the `ml-structure` starter in a temporary folder, then times,
in the same session and interleaved (so machine noise hits every variant alike):

- `kedro --help` with the plugin, and with the plugin's entry point hidden: Kedro imports
  every `kedro.project_commands` plugin on every call, so this is the price every other
  `kedro` command pays for having the plugin installed;
- `kedro layout check` (every rule, which imports the project's pipelines) and
  `kedro layout check --ignore KL204,KL4` (the rules that never import project code),
  as ratios of `kedro --help` on the same project.

Both `kedro --help` variants run through the same small launcher; the only difference is
that one filters our entry point out of Kedro's entry-point lookup. Not a test: timings
depend on the machine. Prints the median and the fastest of --repeat runs (default 7):
on a busy machine the fastest run is the better estimate of the intrinsic cost.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
LAUNCHER = """
import sys
from kedro.framework.cli import utils

if sys.argv.pop(1) == "hide":
    find = utils._get_entry_points
    utils._get_entry_points = lambda name: [
        ep for ep in find(name) if not ep.value.startswith("kedro_plugin_layout")
    ]
from kedro.framework.cli import main

sys.argv[0] = "kedro"
main()
"""


def environment() -> dict[str, str]:
    env = dict(os.environ, KEDRO_DISABLE_TELEMETRY="1", DO_NOT_TRACK="1", NO_COLOR="1",
               PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("PYTHONPATH", None)
    return env


def timed(args: list[str], cwd: Path, expect: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=environment(), stdin=subprocess.DEVNULL,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in expect:
        sys.exit(f"{' '.join(args)} exited {result.returncode}:\n{result.stderr[-2000:]}")
    return elapsed


def generate(parent: Path) -> Path:
    subprocess.run([str(BIN / "kedro"), "new", "--starter=ml-structure", "--name", "Bench Lab"],
                   cwd=parent, env=environment(), stdin=subprocess.DEVNULL,
                   capture_output=True, check=True)
    return parent / "bench-lab"


def import_cost_us(repeat: int) -> float:
    """Median cumulative import time of kedro_plugin_layout.cli once click is loaded
    (Kedro has always imported click by then), from `python -X importtime`."""
    costs = []
    for _ in range(repeat):
        result = subprocess.run([sys.executable, "-X", "importtime", "-c",
                                 "import click; import kedro_plugin_layout.cli"],
                                env=environment(), capture_output=True, text=True, check=True)
        costs += [int(line.split("|")[1]) for line in result.stderr.splitlines()
                  if line.rstrip().endswith("| kedro_plugin_layout.cli")]
    return statistics.median(costs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    kedro = str(BIN / "kedro")
    variants = {
        "kedro --help (plugin hidden)": ([sys.executable, "-c", LAUNCHER, "hide", "--help"],
                                         (0,)),
        "kedro --help (with plugin)": ([sys.executable, "-c", LAUNCHER, "show", "--help"],
                                       (0,)),
        "kedro --help (real entry point)": ([kedro, "--help"], (0,)),
        "kedro layout check": ([kedro, "layout", "check"], (0, 1)),
        "kedro layout check --ignore KL204,KL4": (
            [kedro, "layout", "check", "--ignore", "KL204,KL4"], (0, 1)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        project = generate(Path(tmp))
        times: dict[str, list[float]] = {name: [] for name in variants}
        for command, expect in variants.values():  # warm-up: disk cache, .pyc files
            timed(command, project, expect)
        for _ in range(args.repeat):
            for name, (command, expect) in variants.items():
                times[name].append(timed(command, project, expect))
    median = {name: statistics.median(values) for name, values in times.items()}
    best = {name: min(values) for name, values in times.items()}
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.repeat} runs each, "
          "interleaved; median (fastest)")
    for name in variants:
        print(f"  {name:<42} {median[name]:6.2f} s  ({best[name]:.2f} s)")
    ratios = {
        "kedro --help with / without the plugin":
            ("kedro --help (with plugin)", "kedro --help (plugin hidden)"),
        "kedro layout check / kedro --help":
            ("kedro layout check", "kedro --help (real entry point)"),
        "kedro layout check (static) / kedro --help":
            ("kedro layout check --ignore KL204,KL4", "kedro --help (real entry point)"),
    }
    for label, (top, bottom) in ratios.items():
        print(f"  {label:<42} {median[top] / median[bottom]:6.2f}x  "
              f"({best[top] / best[bottom]:.2f}x)")
    cost = import_cost_us(args.repeat) / 1000
    print(f"  {'import kedro_plugin_layout.cli (median)':<42} {cost:6.1f} ms")


if __name__ == "__main__":
    main()
