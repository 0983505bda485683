"""`kedro layout fix`: creates what is missing, never changes what exists."""

from __future__ import annotations

import json
import shutil
import tomllib

import pytest

from kedro_ml_starter.manifest import default_manifest, parse_manifest
from tests.plugin.layout_projects import invoke, plain_project
from tests.plugin.trees import layout_project
from tests.support import PACKAGE, PYTHON, kedro, run, tree_hashes


def break_project(project):
    """Removes parts a merge or a careless cleanup loses; returns what was removed."""
    shutil.rmtree(project / "data/03_eval")
    shutil.rmtree(project / "models")
    shutil.rmtree(project / "tests/pipelines/03_model_training")
    (project / f"src/{PACKAGE}/utils/__init__.py").rename(project / "utils_init.bak")
    gitignore = project / ".gitignore"
    kept = [line for line in gitignore.read_text().splitlines() if not line.startswith(
        ("models", "!models"))]
    gitignore.write_text("\n".join(kept) + "\n")


def test_fix_creates_the_missing_parts_and_changes_nothing_that_exists(
    generated_project, project_copy
):
    project = project_copy(generated_project)
    break_project(project)
    broken = kedro(["layout", "check", "--select", "KL1,KL5"], project)
    assert broken.returncode == 1
    for rule in ("KL101", "KL104", "KL105", "KL108", "KL502"):
        assert f"FAIL  {rule}" in broken.stdout
    # KL108 names the test file fix writes (created below)
    assert "tests/pipelines/03_model_training/test_model_training_pipeline.py" in broken.stdout
    before = tree_hashes(project)
    gitignore_before = (project / ".gitignore").read_text()

    fixed = kedro(["layout", "fix"], project)

    assert fixed.returncode == 0, fixed.stderr
    assert "Fixed: created 3 folders and 5 files; appended to .gitignore." in fixed.stdout
    after = tree_hashes(project)
    changed = {path for path in before if after.get(path) != before[path]}
    assert changed == {".gitignore"}
    assert (project / ".gitignore").read_text().startswith(gitignore_before)
    assert "models/**\n!models/**/\n!.gitkeep\n" in (project / ".gitignore").read_text()
    created = set(after) - set(before)
    assert {"data/03_eval/.gitkeep", "models/.gitkeep", f"src/{PACKAGE}/utils/__init__.py",
            "tests/pipelines/03_model_training/__init__.py",
            "tests/pipelines/03_model_training/test_model_training_pipeline.py"} <= created
    clean = kedro(["layout", "check"], project)
    assert clean.returncode == 0, clean.stdout
    assert "No findings" in clean.stdout
    again = invoke(project, "fix")
    assert again.exit_code == 0
    assert "Nothing to do" in again.output
    smoke = run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "tests/pipelines/03_model_training/test_model_training_pipeline.py"], project)
    assert smoke.returncode == 0, smoke.stdout[-2000:]


def test_fix_dry_run_writes_nothing(generated_project, project_copy):
    project = project_copy(generated_project)
    break_project(project)
    before = tree_hashes(project)

    result = invoke(project, "fix", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "create dir   data/03_eval/\n  create file  data/03_eval/.gitkeep" in result.output
    assert "data/01_raw" not in result.output
    assert "edit file    .gitignore (+5 -0 lines)" in result.output
    assert tree_hashes(project) == before


def test_fix_writes_the_default_manifest_when_absent_and_lists_what_it_cannot_create(tmp_path):
    project = plain_project(tmp_path)
    pyproject_before = (project / "pyproject.toml").read_text()
    before = tree_hashes(project)

    result = invoke(project, "fix")

    assert result.exit_code == 0, result.output
    pyproject = (project / "pyproject.toml").read_text()
    assert pyproject.startswith(pyproject_before)
    table = tomllib.loads(pyproject)["tool"]["kedro_layout"]
    assert parse_manifest(table) == default_manifest()
    assert ("Left for you: stage 01_data_preprocessing has no folder "
            "src/plain_proj/pipelines/01_data_preprocessing/") in result.output
    after = tree_hashes(project)
    assert {p for p in before if after[p] != before[p]} == {"pyproject.toml", ".gitignore"}


def _without_layers(text: str, names: set[str]) -> str:
    """The catalog text without the three-line `metadata: kedro-viz: layer:` block of these
    entries (the starter writes it as their last key)."""
    out, entry, skip = [], None, 0
    for line in text.splitlines(keepends=True):
        if line[:1].isalpha():
            entry = line.split(":", 1)[0]
        if entry in names and line == "  metadata:\n":
            skip = 3
        if skip:
            skip -= 1
            continue
        out.append(line)
    return "".join(out)


def test_fix_adds_missing_layers_where_the_starter_writes_them(generated_project,
                                                                project_copy):
    """Layers removed from a generated catalog come back byte for byte: same place, same
    block style, the comments around them untouched. A wrong layer is left as it is, and
    a dataset in models/ may go without one (a layer there can make the order cyclic)."""
    project = project_copy(generated_project)
    catalog = project / "conf/base/catalog.yml"
    generated = catalog.read_text()
    stripped = _without_layers(generated, {"raw_data", "test_split", "eval_features",
                                           "metrics", "predictions", "model_onnx"})
    assert stripped.count("layer: ") == generated.count("layer: ") - 6
    stripped = stripped.replace("layer: 02_train", "layer: 03_eval", 1)
    catalog.write_text(stripped)
    broken = kedro(["layout", "check", "--select", "KL306", "--format", "json"], project)
    assert broken.returncode == 1
    results = [r for r in json.loads(broken.stdout)["results"] if r["status"] == "fail"]
    assert len(results) == 6 and {r["path"] for r in results} == {"conf/base/catalog.yml"}
    before = tree_hashes(project)

    dry = invoke(project, "fix", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "edit file    conf/base/catalog.yml (+15 -0 lines)" in dry.output
    assert "+      layer: 01_raw" in dry.output
    assert tree_hashes(project) == before

    fixed = invoke(project, "fix")

    assert fixed.exit_code == 0, fixed.output
    assert "added kedro-viz layers in conf/base/catalog.yml." in fixed.output
    restored = _without_layers(generated, {"model_onnx"})
    assert catalog.read_text() == restored.replace("layer: 02_train", "layer: 03_eval", 1)
    after = tree_hashes(project)
    assert {path for path in before if after[path] != before[path]} == {"conf/base/catalog.yml"}
    checked = kedro(["layout", "check", "--select", "KL306"], project)
    assert checked.returncode == 1  # the wrong layer is the user's to change
    assert "dataset `train_split` has the kedro-viz layer `03_eval`" in checked.stdout
    assert "Nothing to do" in invoke(project, "fix").output


def test_fix_leaves_an_entry_it_cannot_edit_safely_for_the_user(tmp_path):
    project = layout_project(tmp_path)
    catalog = project / "conf/base/catalog.yml"
    with catalog.open("a") as stream:
        stream.write("\n# flow style: no lines to add to\n"
                     "labels: {type: pandas.CSVDataset, filepath: data/02_train/labels.csv}\n"
                     "scores:\n  type: pandas.CSVDataset\n  filepath: data/05_reporting/s.csv"
                     "  # no newline at the end\n")
    text = catalog.read_text()

    result = invoke(project, "fix")

    assert result.exit_code == 0, result.output
    assert ("Left for you: dataset `labels` in conf/base/catalog.yml has no kedro-viz layer "
            "and its entry cannot be edited safely: add `metadata: kedro-viz: layer: "
            "02_train` to it") in result.output
    assert catalog.read_text() == text + ("  metadata:\n    kedro-viz:\n"
                                          "      layer: 05_reporting\n")


def test_fix_refuses_a_catalog_changed_after_planning_and_changes_nothing(tmp_path):
    from kedro_plugin_layout.commands.fix import plan_fix
    from kedro_plugin_layout.errors import UnsafeEditError

    project = layout_project(tmp_path)
    catalog = project / "conf/base/catalog.yml"
    catalog.write_text(catalog.read_text() + "\nlabels:\n  type: pandas.CSVDataset\n"
                                             "  filepath: data/02_train/labels.csv\n")
    planned = plan_fix(project)
    catalog.write_text(catalog.read_text() + "# the user's edit\n")
    before = tree_hashes(project)

    with pytest.raises(UnsafeEditError, match="conf/base/catalog.yml changed since the plan"):
        planned.plan.apply(project)

    assert tree_hashes(project) == before
