"""What the `kedro layout` plugin costs: run with `.venv/bin/python benchmarks/cli_overhead.py`
(`make install` installs repo-review and sp-repo-review, the baseline: the `bench` extra).

Generates a project with the `ml-structure` starter in a temporary folder (a git
repository, as projects are), builds the environment pre-commit would build for our hook
(kedro-ml-structure and its own dependencies only, offline: tests/plugin/isolated_env.py),
then times, in the same session and interleaved (so machine noise hits every variant
alike):

- `kedro --help` with the plugin, and with the plugin's entry point hidden: Kedro imports
  every `kedro.project_commands` plugin on every call, so this is the price every other
  `kedro` command pays for having the plugin installed;
- `kedro layout check` (every rule, the pipelines read in lite mode) against `kedro --help`;
- `python -m kedro_plugin_layout check` (every rule; what pre-commit and CI run), in the
  project's environment and in the hook's environment without any project dependency,
  against `repo-review` with sp-repo-review's checks on the same project;
- the hook's check of Kedro's spaceflights-pandas (a stand-in written by
  tests/plugin/spaceflights.py) adopted with `kedro layout init`.

With `--compare PYTHON` (the interpreter of another checkout's environment, e.g. main's
`.venv/bin/python`), its `python -m kedro_plugin_layout check` on the same project is timed
in the same interleaved session: a before/after figure of a change.

Before timing it checks what the targets are about: without the project's dependencies,
KL402 is evaluated and passes on the generated project and fails on a copy whose training
reads the test split, and the spaceflights audit evaluates every rule.

Not a test: timings depend on the machine. Prints the median and the fastest of --repeat
runs (default 7): on a busy machine the fastest run is the better estimate of the
intrinsic cost. Byte-code caching is on (as on a user's machine), so warm-up runs write
the .pyc files that later runs read.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.pipeline_scale import stored_in
from tests.plugin.isolated_env import build_wheel, isolated_env
from tests.plugin.spaceflights import spaceflights_project

TARGET = 1.2
COMPARED = "python -m ... check (--compare checkout)"
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


def environment(bin_dir: Path = BIN) -> dict[str, str]:
    env = dict(os.environ, KEDRO_DISABLE_TELEMETRY="1", DO_NOT_TRACK="1", NO_COLOR="1",
               PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    for name in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def execute(args: list[str], cwd: Path, expect: tuple[int, ...] = (0,)
            ) -> subprocess.CompletedProcess[str]:
    bin_dir = Path(args[0]).parent if os.path.isabs(args[0]) else BIN
    result = subprocess.run(args, cwd=cwd, env=environment(bin_dir), check=False,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode not in expect:
        sys.exit(f"{' '.join(args)} exited {result.returncode}:\n{result.stderr[-2000:]}")
    return result


def timed(args: list[str], cwd: Path, expect: tuple[int, ...]) -> float:
    start = time.perf_counter()
    execute(args, cwd, expect)
    return time.perf_counter() - start


def generate(parent: Path) -> Path:
    execute([str(BIN / "kedro"), "new", "--starter=ml-structure", "--name", "Bench Lab"],
            parent)
    project = parent / "bench-lab"
    execute(["git", "init", "-q"], project)
    return project


def leaking_copy(project: Path, parent: Path) -> Path:
    """A copy whose training stage reads the test split's version of what it trains on
    (the stage, the datasets and their folders read from the project's manifest and
    catalog)."""
    from kedro_ml_starter.kinds import DataRole, StageRole
    from kedro_ml_starter.manifest import load_manifest

    copy = Path(shutil.copytree(project, parent / "leaking-lab", symlinks=True))
    manifest = load_manifest(copy)
    stored = {role: set(stored_in(copy, role)) for role in (DataRole.TRAIN, DataRole.TEST)}
    training = next(s.folder for s in manifest.stages if s.role == StageRole.TRAINING)
    pipeline = next(copy.glob(f"src/*/pipelines/{training}/pipeline.py"))
    text = pipeline.read_text()
    swaps = {name: name.replace("train", "test") for name in stored[DataRole.TRAIN]
             if f'"{name}"' in text and name.replace("train", "test") in stored[DataRole.TEST]}
    if not swaps:
        sys.exit(f"{pipeline} reads no training dataset that has a test twin in the catalog")
    for train, test in swaps.items():
        text = text.replace(f'"{train}"', f'"{test}"')
    pipeline.write_text(text)
    return copy


def statuses(python: Path, project: Path, expect: tuple[int, ...]) -> dict[str, str]:
    result = execute([str(python), "-m", "kedro_plugin_layout", "check", "--format", "json"],
                     project, expect)
    return {r["rule"]: r["status"] for r in json.loads(result.stdout)["results"]}


def verify(hook: Path, project: Path, leaking: Path, spaceflights: Path) -> list[str]:
    """What the targets are about, checked before anything is timed."""
    clean, leak = statuses(hook, project, (0,)), statuses(hook, leaking, (1,))
    if (clean["KL402"], leak["KL402"]) != ("pass", "fail"):
        sys.exit(f"KL402 without project dependencies: {clean['KL402']} on the generated "
                 f"project, {leak['KL402']} on the leaking copy (expected pass, fail)")
    audit = statuses(hook, spaceflights, (0, 1))
    skipped = sorted(rule for rule, status in audit.items() if status == "skip")
    if skipped != ["KL202"]:  # plain stage folders: numbering does not apply
        sys.exit(f"spaceflights audit skipped {skipped}, expected only KL202")
    return [
        "without any project dependency (the hook's environment):",
        (f"  generated project: KL402 {clean['KL402']}; training on the test split: KL402 "
        f"{leak['KL402']}"),
        (f"  spaceflights after `kedro layout init`: {len(audit)} rules, "
        f"{sum(s == 'pass' for s in audit.values())} passed, "
        f"{sum(s == 'fail' for s in audit.values())} failed, skipped {', '.join(skipped)}"),
    ]


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
    parser.add_argument("--compare", type=Path, metavar="PYTHON",
                        help="another checkout's python: its check is timed alongside")
    parser.add_argument("--hook", type=Path,
                        help="the python of a hook environment already built "
                             "(tests/plugin/isolated_env.py), instead of building one")
    args = parser.parse_args()
    missing = [m for m in ("repo_review", "sp_repo_review") if not importlib.util.find_spec(m)]
    if missing:
        sys.exit(f"{', '.join(missing)} not installed: run `{sys.executable} -m pip install "
                 "-e '.[bench]'` first")
    kedro, python = str(BIN / "kedro"), sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        project = generate(base)
        hook = args.hook or isolated_env(base / "hook-env", build_wheel(base / "wheel"))
        spaceflights = spaceflights_project(base)
        execute([str(hook), "-m", "kedro_plugin_layout", "init"], spaceflights)
        verdicts = verify(hook, project, leaking_copy(project, base), spaceflights)
        check = ["-m", "kedro_plugin_layout", "check"]
        variants = {
            "kedro --help (plugin hidden)": ([python, "-c", LAUNCHER, "hide", "--help"],
                                             project),
            "kedro --help (with plugin)": ([python, "-c", LAUNCHER, "show", "--help"], project),
            "kedro --help (real entry point)": ([kedro, "--help"], project),
            "kedro layout check": ([kedro, "layout", "check"], project),
            "python -m kedro_plugin_layout check": ([python, *check], project),
            "same, no project dependency (hook)": ([str(hook), *check], project),
            "repo-review (sp-repo-review checks)": ([str(BIN / "repo-review"), "."], project),
            "hook on spaceflights (after init)": ([str(hook), *check], spaceflights),
        }
        if args.compare:
            variants[COMPARED] = ([str(args.compare), *check], project)
        times: dict[str, list[float]] = {name: [] for name in variants}
        for command, cwd in variants.values():  # warm-up: disk cache, .pyc files
            timed(command, cwd, (0, 1, 2, 3))
        for _ in range(args.repeat):
            for name, (command, cwd) in variants.items():
                times[name].append(timed(command, cwd, (0, 1, 2, 3)))
    report(times, args.repeat, verdicts)


def report(times: dict[str, list[float]], repeat: int, verdicts: list[str]) -> None:
    median = {name: statistics.median(values) for name, values in times.items()}
    best = {name: min(values) for name, values in times.items()}
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {repeat} runs each, "
          "interleaved; median (fastest)")
    for name in times:
        print(f"  {name:<42} {median[name]:6.2f} s  ({best[name]:.2f} s)")
    ratios = {
        "kedro --help with / without the plugin":
            ("kedro --help (with plugin)", "kedro --help (plugin hidden)", None),
        "kedro layout check / kedro --help":
            ("kedro layout check", "kedro --help (real entry point)", TARGET),
        "python -m ... check / repo-review":
            ("python -m kedro_plugin_layout check", "repo-review (sp-repo-review checks)",
             TARGET),
        "hook (no project dependency) / repo-review":
            ("same, no project dependency (hook)", "repo-review (sp-repo-review checks)",
             TARGET),
    }
    for label, (top, bottom, target) in ratios.items():
        ratio = median[top] / median[bottom]
        verdict = "" if target is None else (
            f"  target <= {target}x: {'met' if ratio <= target else 'MISSED'}")
        print(f"  {label:<42} {ratio:6.2f}x  ({best[top] / best[bottom]:.2f}x){verdict}")
    if COMPARED in times:  # before/after: this checkout against the --compare one
        for label, top, bottom in (
            ("this check / --compare checkout's", "python -m kedro_plugin_layout check",
             COMPARED),
            ("--compare checkout's / repo-review", COMPARED,
             "repo-review (sp-repo-review checks)"),
        ):
            ratio = median[top] / median[bottom]
            print(f"  {label:<42} {ratio:6.2f}x  ({best[top] / best[bottom]:.2f}x)")
    cost = import_cost_us(repeat) / 1000
    print(f"  {'import kedro_plugin_layout.cli (median)':<42} {cost:6.1f} ms")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
