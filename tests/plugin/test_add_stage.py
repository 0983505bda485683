"""`kedro layout add-stage` on copies of the generated project: at the end, in the middle
(renumbering), refused inputs, a dirty git tree, and a failure half-way."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from kedro_ml_starter.manifest import load_manifest
from kedro_plugin_layout.edits import plan as plan_module
from tests.plugin.layout_projects import invoke
from tests.support import PACKAGE, PYTHON, kedro, run, tree_hashes

PIPELINES = f"src/{PACKAGE}/pipelines"


def stage_hashes(project: Path, folder: str) -> dict[str, str]:
    return tree_hashes(project / PIPELINES / folder)


def git(project: Path, *args: str) -> None:
    run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], project,
        check=True)


@pytest.mark.e2e
def test_stages_added_at_the_end_and_in_the_middle_keep_the_project_working(
    generated_project, project_copy
):
    project = project_copy(generated_project)
    evaluation_code = stage_hashes(project, "04_model_evaluation")
    serving_code = stage_hashes(project, "05_api")

    end = kedro(["layout", "add-stage", "monitoring", "--data-folder"], project)
    middle = kedro(["layout", "add-stage", "hyperparameter_tuning", "--after",
                    "03_model_training"], project)

    assert end.returncode == 0, end.stderr
    assert "Added stage 06_monitoring (role other) after 05_api." in end.stdout
    assert middle.returncode == 0, middle.stderr
    assert ("Renumbered: 04_model_evaluation -> 05_model_evaluation, 05_api -> 06_api, "
            "06_monitoring -> 07_monitoring.") in middle.stdout
    expected = ["01_data_preprocessing", "02_feature_engineering", "03_model_training",
                "04_hyperparameter_tuning", "05_model_evaluation", "06_api", "07_monitoring"]
    assert [s.folder for s in load_manifest(project).stages] == expected
    assert sorted(p.name for p in (project / PIPELINES).iterdir()
                  if p.is_dir() and p.name != "__pycache__") == expected
    assert sorted(p.name for p in (project / "tests/pipelines").iterdir()
                  if p.is_dir() and p.name != "__pycache__") == expected
    assert stage_hashes(project, "05_model_evaluation") == evaluation_code
    assert stage_hashes(project, "06_api") == serving_code
    assert (project / "data/07_monitoring/.gitkeep").is_file()
    assert (project / "conf/base/parameters_hyperparameter_tuning.yml").is_file()
    stale = [
        path.relative_to(project).as_posix() for top in ("src", "tests", "conf")
        for path in (project / top).rglob("*")
        if path.suffix in (".py", ".yml", ".md") and "egg-info" not in str(path)
        and re.search(r"\b(04_model_evaluation|05_api)\b", path.read_text())
    ]
    assert stale == []
    assert re.search(r"\b06_api\b", (project / "README.md").read_text())

    ran = kedro(["run"], project, COLUMNS="300")
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "summarise_hyperparameter_tuning_settings" in ran.stdout + ran.stderr
    check = kedro(["layout", "check"], project)
    assert check.returncode == 0, check.stdout
    assert "No findings" in check.stdout
    tests = run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "tests/pipelines/04_hyperparameter_tuning",
                 "tests/pipelines/07_monitoring", "tests/pipelines/05_model_evaluation",
                 "tests/test_registry.py"],
                project)
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert re.search(r"\b\d+ passed\b", tests.stdout)


def test_dry_run_prints_the_exact_plan_and_writes_nothing(generated_project, project_copy):
    project = project_copy(generated_project)
    before = tree_hashes(project)

    result = kedro(["layout", "add-stage", "tuning", "--after", "model_training", "--dry-run"],
                   project)

    assert result.returncode == 0, result.stderr
    assert tree_hashes(project) == before
    plan = result.stdout
    assert "Dry run: nothing was written." in plan
    assert f"rename       {PIPELINES}/05_api -> {PIPELINES}/06_api" in plan
    assert ("rename       tests/pipelines/04_model_evaluation -> "
            "tests/pipelines/05_model_evaluation") in plan
    assert f"create file  {PIPELINES}/04_tuning/pipeline.py" in plan
    assert "create file  conf/base/parameters_tuning.yml" in plan
    assert "edit file    pyproject.toml" in plan
    assert '+folder = "04_tuning"' in plan


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["../x"], "stage name '../x' is a path"),
        (["/tmp/abs"], "stage name '/tmp/abs' is a path"),
        (["données"], "has non-ASCII characters"),
        (["class"], "stage name 'class' is a Python keyword"),
        (["2fast"], "stage name '2fast' starts with a digit"),
        (["06_tuning"], "has a number prefix; give the name only (tuning)"),
        (["Tuning"], "may only hold lower-case letters, digits and '_'"),
        (["model_training"], "a stage named 'model_training' already exists"),
        (["tuning", "--after", "07_nowhere"],
         "--after '07_nowhere' is not a stage of this project"),
    ],
)
def test_bad_input_is_refused_in_one_line_and_changes_nothing(
    generated_project, project_copy, args, message
):
    project = project_copy(generated_project)
    before = tree_hashes(project)

    result = invoke(project, "add-stage", *args)

    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert tree_hashes(project) == before


def test_bad_input_through_kedro_is_one_line_without_traceback(generated_project, project_copy):
    project = project_copy(generated_project)
    before = tree_hashes(project)

    result = kedro(["layout", "add-stage", "../x"], project)

    assert result.returncode == 2
    assert ("Error: stage name '../x' is a path; give a lower-case identifier such as "
            "hyperparameter_tuning") in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert tree_hashes(project) == before


def test_renumbering_a_dirty_git_tree_needs_force(generated_project, project_copy):
    project = project_copy(generated_project)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "generated")
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nwork in progress\n")
    before = tree_hashes(project)

    refused = invoke(project, "add-stage", "tuning", "--after", "03_model_training")

    assert refused.exit_code == 2
    assert "renumbering needs a clean git tree but tracked files have changes (README.md)" in (
        refused.output)
    assert "pass --force" in refused.output
    assert tree_hashes(project) == before
    appended = invoke(project, "add-stage", "monitoring")
    assert appended.exit_code == 0, appended.output
    forced = invoke(project, "add-stage", "tuning", "--after", "03_model_training", "--force")
    assert forced.exit_code == 0, forced.output
    assert (project / PIPELINES / "05_model_evaluation").is_dir()
    status = subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True,
                            text=True, check=True).stdout
    assert "README.md" in status


def test_a_failure_half_way_leaves_the_project_as_it_was(
    generated_project, project_copy, monkeypatch
):
    project = project_copy(generated_project)
    before = tree_hashes(project)
    real_apply = plan_module._apply_one

    def fail_on_the_test_file(op, root):
        if getattr(op, "path", "").endswith("test_tuning_pipeline.py"):
            raise PermissionError(13, "Permission denied")
        return real_apply(op, root)

    monkeypatch.setattr(plan_module, "_apply_one", fail_on_the_test_file)
    result = invoke(project, "add-stage", "tuning", "--after", "02_feature_engineering")

    assert result.exit_code == 2
    assert ("could not create tests/pipelines/03_tuning/test_tuning_pipeline.py "
            "(Permission denied); nothing was changed") in result.output
    assert tree_hashes(project) == before
    assert not (project / PIPELINES / "03_tuning").exists()
    assert (project / PIPELINES / "03_model_training").is_dir()


def test_renumbering_a_stage_named_like_a_data_folder_keeps_the_layers(
    generated_project, project_copy
):
    """A stage `06_scoring` renumbered to `07_scoring` leaves the data folder `06_scoring`,
    its paths and the kedro-viz layer named for it as they were."""
    project = project_copy(generated_project)
    catalog = project / "conf/base/catalog.yml"
    layers = [line for line in catalog.read_text().splitlines() if "layer: " in line]
    assert layers.count("      layer: 06_scoring") == 2

    added = invoke(project, "add-stage", "scoring")
    renumbered = invoke(project, "add-stage", "tuning", "--after", "model_training", "--force")

    assert added.exit_code == 0, added.output
    assert renumbered.exit_code == 0, renumbered.output
    assert "06_scoring -> 07_scoring" in renumbered.output
    assert (project / PIPELINES / "07_scoring").is_dir()
    assert [line for line in catalog.read_text().splitlines() if "layer: " in line] == layers
    assert "# --- 06_api (batch scoring)" in catalog.read_text()
    check = kedro(["layout", "check", "--select", "KL3"], project)
    assert check.returncode == 0, check.stdout
