"""The pieces add-stage is made of: where a stage goes, which tokens are renamed, and how
the manifest is written back without touching the user's text."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest

from kedro_ml_starter.manifest import (
    Stage,
    default_manifest,
    manifest_to_toml,
    parse_manifest,
)
from kedro_plugin_layout.edits.manifest import pyproject_with_manifest
from kedro_plugin_layout.edits.references import renamed_paths, replace_tokens
from kedro_plugin_layout.edits.stages import guess_role, place_stage, validate_stage_name
from kedro_plugin_layout.errors import InvalidNameError
from tests.plugin.layout_projects import invoke
from tests.support import tree_hashes


def folders(stages):
    return [s.folder for s in stages]


def test_a_new_stage_is_appended_with_the_next_number():
    placement = place_stage(default_manifest(), "monitoring", "other", None)

    assert placement.stage == Stage("06_monitoring", "other")
    assert placement.renames == ()
    assert folders(placement.stages)[-2:] == ["05_api", "06_monitoring"]


def test_a_stage_in_the_middle_shifts_every_later_stage():
    placement = place_stage(default_manifest(), "tuning", "training", "model_training")

    assert placement.stage.folder == "04_tuning"
    assert [(old.folder, new.folder) for old, new in placement.renames] == [
        ("04_model_evaluation", "05_model_evaluation"), ("05_api", "06_api")]
    assert [new.role for _, new in placement.renames] == ["evaluation", "serving"]


def test_a_gap_absorbs_the_shift_so_stages_after_it_keep_their_numbers():
    manifest = replace(default_manifest(), stages=(
        Stage("01_prepare", "preprocessing"), Stage("02_train", "training"),
        Stage("04_evaluate", "evaluation"), Stage("05_serve", "serving"),
    ))

    placement = place_stage(manifest, "tune", "other", "01_prepare")

    assert [(o.folder, n.folder) for o, n in placement.renames] == [("02_train", "03_train")]
    assert folders(placement.stages) == [
        "01_prepare", "02_tune", "03_train", "04_evaluate", "05_serve"]


def test_plain_stages_are_inserted_without_renaming_anything():
    manifest = default_manifest("plain")

    placement = place_stage(manifest, "tuning", "other", "model_training")

    assert placement.renames == ()
    assert folders(placement.stages)[2:4] == ["model_training", "tuning"]


@pytest.mark.parametrize(("name", "after", "message"), [
    ("api", None, "a stage named 'api' already exists"),
    ("05_api", None, "a stage named '05_api' already exists"),
    ("tuning", "nowhere", ("--after 'nowhere' is not a stage of this project; known stages: "
                           "01_data_preprocessing, 02_feature_engineering")),
])
def test_placement_refuses_names_and_positions_that_do_not_fit(name, after, message):
    with pytest.raises(InvalidNameError, match=message):
        place_stage(default_manifest(), name, "other", after)


@pytest.mark.parametrize("name", ["", " ", "a-b", "a.b", "x" * 61, "~x", ".x", "None", "def"])
def test_unusable_stage_names_are_refused(name):
    with pytest.raises(InvalidNameError):
        validate_stage_name(name)


@pytest.mark.parametrize("name", ["hyperparameter_tuning", "x", "stage2", "match"])
def test_usable_stage_names_pass(name):
    assert validate_stage_name(name) == name


@pytest.mark.parametrize(("name", "role"), [
    ("data_processing", "preprocessing"), ("feature_engineering", "features"),
    ("data_science", "training"), ("model_evaluation", "evaluation"), ("reporting", "evaluation"),
    ("api", "serving"), ("batch_inference", "serving"), ("hyperparameter_tuning", "other"),
])
def test_roles_are_guessed_from_names(name, role):
    assert guess_role(name) == role


def test_only_exact_tokens_are_renamed_and_renames_never_chain():
    renames = {"04_model_evaluation": "05_model_evaluation", "05_api": "06_api"}
    text = (
        'STAGE = "penguin_lab.pipelines.04_model_evaluation.nodes"\n'
        "kedro run --pipelines 05_api,04_model_evaluation\n"
        "parameters_04_model_evaluation.yml 104_model_evaluation 05_api_v2 x05_api\n"
    )

    assert replace_tokens(text, renames) == (
        'STAGE = "penguin_lab.pipelines.05_model_evaluation.nodes"\n'
        "kedro run --pipelines 06_api,05_model_evaluation\n"
        "parameters_05_model_evaluation.yml 104_model_evaluation 05_api_v2 x05_api\n"
    )


def test_a_data_folder_sharing_a_stage_name_is_not_renamed():
    text = "filepath: data/05_reporting/metrics.json  # written by 05_reporting\n"

    out = replace_tokens(text, {"05_reporting": "06_reporting"}, protect=["data/"])

    assert out == "filepath: data/05_reporting/metrics.json  # written by 06_reporting\n"


def test_renamed_paths_finds_folders_and_config_files_top_most_only(tmp_path):
    for path in ["pipes/04_eval/nodes.py", "pipes/04_eval/04_eval_helpers.py",
                 "conf/base/parameters_04_eval.yml", "conf/base/catalog.yml"]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")

    found = renamed_paths(tmp_path, ["pipes", "conf"], {"04_eval": "05_eval"})

    assert found == [("pipes/04_eval", "pipes/05_eval"),
                     ("conf/base/parameters_04_eval.yml", "conf/base/parameters_05_eval.yml")]


PYPROJECT = """\
[project]
name = "penguin_lab"   # the distribution

[tool.kedro]
package_name = "penguin_lab"

"""


def test_a_missing_manifest_is_appended_leaving_every_other_byte():
    out = pyproject_with_manifest(PYPROJECT, default_manifest())

    assert out.startswith(PYPROJECT)
    assert parse_manifest(tomllib.loads(out)["tool"]["kedro_layout"]) == default_manifest()


def test_an_existing_manifest_is_updated_in_place_keeping_comments():
    text = PYPROJECT + manifest_to_toml(default_manifest()).replace(
        'folder = "05_api"', 'folder = "05_api"  # scoring lives here') + "\n[tool.x]\ny = 1\n"
    placement = place_stage(default_manifest(), "tuning", "other", "03_model_training")
    manifest = replace(default_manifest(), stages=placement.stages)

    out = pyproject_with_manifest(text, manifest, {"04_model_evaluation": "05_model_evaluation",
                                                   "05_api": "06_api"})

    assert 'folder = "06_api"  # scoring lives here' in out
    assert 'name = "penguin_lab"   # the distribution' in out
    assert out.endswith("\n[tool.x]\ny = 1\n")
    assert parse_manifest(tomllib.loads(out)["tool"]["kedro_layout"]) == manifest
    assert out.count("[[tool.kedro_layout.stages]]") == 6


def test_a_name_already_used_by_parameters_is_refused(generated_project, project_copy):
    project = project_copy(generated_project)
    parameters = project / "conf/base/parameters_model_training.yml"
    parameters.write_text(parameters.read_text() + "\ntuning:\n  trials: 20\n")
    before = tree_hashes(project)

    result = invoke(project, "add-stage", "tuning")

    assert result.exit_code == 2
    assert ("conf/base/parameters_model_training.yml already defines parameters `tuning:`; "
            "choose another stage name") in result.output
    assert tree_hashes(project) == before


def test_a_parameters_file_that_does_not_parse_is_refused(generated_project, project_copy):
    """The new stage's name might clash with what the broken file defines: fail closed."""
    project = project_copy(generated_project)
    (project / "conf/local/parameters_tuning_notes.yml").write_text("trials: [1, 2\n")
    before = tree_hashes(project)

    result = invoke(project, "add-stage", "tuning")

    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line == ("Error: conf/local/parameters_tuning_notes.yml: not valid YAML (line 2, "
                    "column 1: did not find expected ',' or ']'); fix the syntax")
    assert tree_hashes(project) == before


@pytest.mark.parametrize(("broken", "reason"), [
    ("a .git file git cannot read", "`git status` failed (fatal: invalid gitfile format: "),
    ("no git in a repository", "git is not installed, so uncommitted changes cannot be seen"),
])
def test_renumbering_refuses_when_git_cannot_tell(generated_project, project_copy, monkeypatch,
                                                  broken, reason):
    from kedro_plugin_layout.project import gitstate

    project = project_copy(generated_project)
    if broken == "a .git file git cannot read":
        (project / ".git").write_text("not a gitdir\n")
    else:
        (project / ".git").mkdir()
        monkeypatch.setattr(gitstate.shutil, "which", lambda name: None)
    before = tree_hashes(project)

    result = invoke(project, "add-stage", "tuning", "--after", "02_feature_engineering")

    assert result.exit_code == 2
    assert ("renumbering needs a clean git tree, and git cannot tell whether tracked files "
            f"have changes: {reason}") in result.output
    assert result.output.strip().endswith("; fix that, or pass --force")
    assert tree_hashes(project) == before
    forced = invoke(project, "add-stage", "tuning", "--after", "02_feature_engineering",
                    "--force")
    assert forced.exit_code == 0, forced.output


def test_outside_any_repository_renumbering_needs_no_git(tmp_path, monkeypatch):
    from kedro_plugin_layout.project import gitstate

    monkeypatch.setattr(gitstate.shutil, "which", lambda name: None)
    assert gitstate.git_state(tmp_path).clean


def test_add_stage_role_choices_are_the_manifest_roles() -> None:
    """cli.py takes the roles from `kinds`, as the manifest does: keep them in step."""
    from kedro_ml_starter.manifest import STAGE_ROLES
    from kedro_plugin_layout.cli import add_stage

    role = next(param for param in add_stage.params if param.name == "role")
    assert tuple(role.type.choices) == STAGE_ROLES
