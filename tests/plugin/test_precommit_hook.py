"""The one pre-commit hook, run the way pre-commit runs it: the entry and args of
.pre-commit-hooks.yaml, its environment's bin first on PATH, in an environment that holds
only kedro-ml-structure and its own dependencies (no pandas, scikit-learn or plotly).
Every rule runs there: on a generated project, on a copy that leaks the test split into
training, and on Kedro's spaceflights adopted with `kedro layout init`."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.plugin.isolated_env import ROOT
from tests.plugin.spaceflights import DEPENDENCIES, spaceflights_project
from tests.support import PACKAGE, run

pytestmark = pytest.mark.e2e


def hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["kedro-layout-check"]  # one hook, every rule
    [entry] = hooks
    assert entry["language"] == "python"  # pre-commit builds its environment
    assert entry["pass_filenames"] is False and entry["always_run"] is True
    return entry


def run_hook(python: Path, project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """The hook's command in `project`, as pre-commit runs it: `python` is the hook
    environment's (its bin folder comes first on PATH)."""
    entry = hook()
    command = [*shlex.split(entry["entry"]), *entry["args"], *extra]
    bin_dir = python.parent
    assert command[0] == "python" and (bin_dir / "python").exists()
    return run([str(bin_dir / command[0]), *command[1:]], project,
               PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_the_hook_environment_holds_no_project_dependency(hook_python: Path,
                                                          tmp_path: Path) -> None:
    probe = ("import importlib.util, json; print(json.dumps([m for m in "
             f"{[*DEPENDENCIES, 'numpy', 'seaborn']!r} if importlib.util.find_spec(m)]))")
    found = run([str(hook_python), "-c", probe], tmp_path, check=True)
    assert json.loads(found.stdout) == []
    located = run([str(hook_python), "-c", "import kedro_plugin_layout; "
                                           "print(kedro_plugin_layout.__file__)"], tmp_path)
    assert str(hook_python.parents[1]) in located.stdout  # the wheel, not this checkout


def test_every_rule_runs_without_the_projects_dependencies(hook_python: Path,
                                                           generated_project: Path,
                                                           project_copy) -> None:
    project = project_copy(generated_project)
    run(["git", "init", "-q"], project, check=True)

    clean = run_hook(hook_python, project)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "No findings (27 passed, 0 failed, 0 skipped)." in clean.stdout
    note = next(line for line in clean.stdout.splitlines() if line.startswith("note: "))
    assert note.startswith("note: pipelines: 5 stages read in lite mode, with stand-ins for ")
    assert {"pandas", "sklearn"} <= set(note.split("stand-ins for ")[1].split(", "))

    # `kedro layout check` too, which imports the project's settings (and the runtime's
    # hooks) for real before the check reads the pipelines
    through_kedro = run([str(hook_python), "-m", "kedro", "layout", "check"], project)
    assert through_kedro.returncode == 0, through_kedro.stdout + through_kedro.stderr
    assert "No findings (27 passed, 0 failed, 0 skipped)." in through_kedro.stdout

    # the training features now live in the test split's folder
    catalog = project / "conf" / "base" / "catalog.yml"
    text = catalog.read_text()
    assert "data/02_train/train_features.parquet" in text
    catalog.write_text(text.replace("data/02_train/train_features.parquet",
                                    "data/04_test/train_features.parquet"))
    leaking = run_hook(hook_python, project, "--format", "json")
    assert leaking.returncode == 1, leaking.stdout + leaking.stderr
    failures = {r["rule"]: r for r in json.loads(leaking.stdout)["results"]
                if r["status"] == "fail"}
    # its layer still says 02_train; stage 04's kept verdict rests on a model fitted on test
    assert set(failures) == {"KL402", "KL403", "KL306", "KL406"}
    leak = failures["KL402"]
    assert leak["message"].startswith("leakage: node `")
    assert leak["path"] == f"src/{PACKAGE}/pipelines/03_model_training/pipeline.py"
    called = (project / leak["path"]).read_text().splitlines()[leak["line"] - 1]
    assert called[leak["column"] - 1:].startswith("Node(")  # the call that made the node


def test_spaceflights_adopted_with_init_is_audited_without_its_dependencies(
        hook_python: Path, tmp_path: Path) -> None:
    project = spaceflights_project(tmp_path)
    adopted = run([str(hook_python), "-m", "kedro_plugin_layout", "init"], project)
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    assert "stage  data_science                  training" in adopted.stdout

    audit = run_hook(hook_python, project, "--format", "json")
    assert audit.returncode == 0, audit.stdout + audit.stderr
    report = json.loads(audit.stdout)
    statuses = {r["rule"]: r["status"] for r in report["results"]}
    assert statuses.pop("KL202") == "skip"  # plain stage folders are not numbered
    assert set(statuses.values()) == {"pass"} and len(statuses) == 26
    assert report["notes"] == ["pipelines: 3 stages read in lite mode, with stand-ins for "
                               "matplotlib, pandas, plotly, sklearn"]

    # the same audit sees a model trained on every row, before the split
    pipeline = project / "src/spaceflights/pipelines/data_science/pipeline.py"
    pipeline.write_text(pipeline.read_text().replace(
        'Node(train_model, ["X_train", "y_train"]',
        'Node(train_model, ["model_input_table", "params:model_options"]'))
    leaking = run_hook(hook_python, project, "--format", "json")
    assert leaking.returncode == 1
    [finding] = [r for r in json.loads(leaking.stdout)["results"] if r["status"] == "fail"]
    assert finding["rule"] == "KL404" and finding["path"].endswith("data_science/pipeline.py")
    assert "fits on rows before the split, eval and test rows included: " in finding["message"]
    assert ("`model_input_table` (data/03_primary/model_input_table.parquet) -> node "
            "`train_model_node`") in finding["message"]
    assert finding["related"][-1]["path"].endswith("data_science/pipeline.py")

    full = run_hook(hook_python, project, "--import-mode", "full")
    assert full.returncode == 2
    [line] = full.stderr.strip().splitlines()
    assert line.startswith("Error: src/spaceflights/pipelines/")
    assert "No module named" in line and "install the project's dependencies" in line
