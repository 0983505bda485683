"""What a change costs the check, in CPU time: two installations of this distribution (a
checkout before a change and one after it, each with its own venv) run the same commands
on the same generated project, interleaved, and the CPU seconds (user + system) of each
run are compared.

    python benchmarks/check_cpu_ab.py BEFORE/.venv/bin AFTER/.venv/bin [--repeat 15]

`cli_overhead.py` compares wall-clock time against other tools; on a shared machine its
ratios move with the load. CPU time moves far less, so this answers the narrower question
of a refactoring: did the same commands get dearer? Not a test: it prints medians.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

COMMANDS = {
    "python -m kedro_plugin_layout check": ["python", "-m", "kedro_plugin_layout", "check"],
    "kedro layout check": ["kedro", "layout", "check"],
    "kedro --help": ["kedro", "--help"],
}


def environment() -> dict[str, str]:
    env = dict(os.environ, KEDRO_DISABLE_TELEMETRY="1", DO_NOT_TRACK="1", NO_COLOR="1")
    env.pop("PYTHONPATH", None)
    return env


def cpu_seconds(args: list[str], cwd: Path) -> float:
    """The CPU time of one run of `args` (and of any process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, cwd=cwd, env=environment(), stdin=subprocess.DEVNULL,
                   capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def generate(bin_dir: Path, parent: Path) -> Path:
    """A project from the starter, in git as projects are."""
    subprocess.run([str(bin_dir / "kedro"), "new", "--starter=ml-structure", "--name",
                    "Bench Lab"], cwd=parent, env=environment(), stdin=subprocess.DEVNULL,
                   capture_output=True, check=True)
    project = parent / "bench-lab"
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the bin folder of the venv before")
    parser.add_argument("after", type=Path, help="the bin folder of the venv after")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--project", type=Path, help="a generated project to run in (read "
                        "only); default: one generated with the starter of AFTER")
    args = parser.parse_args()
    bins = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory() as tmp:
        project = args.project.resolve() if args.project else generate(bins["after"], Path(tmp))
        runs: dict[tuple[str, str], list[float]] = {}
        for name, command in COMMANDS.items():
            for side, bin_dir in bins.items():
                argv = [str(bin_dir / command[0]), *command[1:]]
                cpu_seconds(argv, project)  # warm-up: .pyc files, disk cache
                runs[name, side] = []
        for i in range(args.repeat):
            order = list(bins.items()) if i % 2 else list(reversed(bins.items()))
            for name, command in COMMANDS.items():
                for side, bin_dir in order:
                    argv = [str(bin_dir / command[0]), *command[1:]]
                    runs[name, side].append(cpu_seconds(argv, project))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.repeat} runs each, "
          "interleaved; CPU seconds, median (fastest)")
    for name in COMMANDS:
        before, after = runs[name, "before"], runs[name, "after"]
        ratio = statistics.median(after) / statistics.median(before)
        print(f"  {name:<38} before {statistics.median(before):.3f} ({min(before):.3f})  "
              f"after {statistics.median(after):.3f} ({min(after):.3f})  {ratio:.2f}x")


if __name__ == "__main__":
    main()
