"""`kedro layout fix`: creates what is missing, never changes what exists."""

from __future__ import annotations

import shutil
import tomllib

from kedro_plugin_layout.manifest import default_manifest, parse_manifest
from tests.plugin.layout_projects import invoke, plain_project
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
