"""Bad names are refused before anything is written; an existing folder is never touched."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.support import kedro, tree_hashes

pytestmark = pytest.mark.e2e


def _assert_refused(result, parent: Path, *phrases: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output and "NoneType: None" not in output, output
    for phrase in phrases:
        assert phrase in output, output
    assert sorted(p.name for p in parent.iterdir() if p.name != "config.yml") == []


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("a/b", "'a/b' is an invalid value for project name"),
        ("..", "'..' is an invalid value for project name"),
        ("café", "invalid project name 'café': use ASCII characters only"),
        ("class", "'class' is an invalid Python package name"),
        ("json", "'json' is an invalid Python package name"),
        ("", "'' is an invalid value for project name"),
        ("x", "'x' is an invalid value for project name"),
        ("pandas", "invalid python_package 'pandas'"),
    ],
)
def test_bad_name_flag_is_refused(tmp_path: Path, name: str, phrase: str):
    result = kedro(["new", "--starter=ml-structure", "--name", name], tmp_path)
    _assert_refused(result, tmp_path, phrase)


@pytest.mark.parametrize(
    ("config", "phrase"),
    [
        ({"project_name": "café"}, "invalid project name 'café'"),
        ({"project_name": "a/b"}, "'a/b' is an invalid value for project name"),
        ({"project_name": "Lab", "repo_name": "../x"},
         "invalid repo_name '../x': path separators and '..' are not allowed"),
        ({"project_name": "Lab", "repo_name": "a/b"}, "invalid repo_name 'a/b'"),
        ({"project_name": "Lab", "repo_name": "/tmp/x"}, "invalid repo_name '/tmp/x'"),
        ({"project_name": "Lab", "python_package": "a.b"}, "invalid python_package 'a.b'"),
        ({"project_name": "Lab", "python_package": "../evil"}, "invalid python_package"),
        ({"project_name": "Lab", "python_package": "sys"}, "'sys' is an invalid Python package"),
        ({"project_name": "Lab", "python_package": "lambda"}, "lambda"),
        ({"project_name": "Lab", "stage_style": "fancy"},
         "invalid stage_style 'fancy': use one of numbered, plain"),
        ({"project_name": "Lab", "engine": "flink"},
         "invalid engine 'flink': use one of pandas, spark"),
        ({"project_name": "Lab", "engine": "Spark"},
         "invalid engine 'Spark': use one of pandas, spark"),
        ({"project_name": "Lab", "task": "clustering"},
         "invalid task 'clustering': use one of classification, regression"),
    ],
)
def test_bad_config_is_refused(tmp_path: Path, config: dict, phrase: str):
    work = tmp_path / "work"
    work.mkdir()
    config_file = tmp_path / "config.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = kedro(["new", "--starter=ml-structure", "--config", str(config_file)], work)
    _assert_refused(result, work, phrase)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yml", "work"]


def test_existing_target_folder_is_not_overwritten(tmp_path: Path):
    existing = tmp_path / "penguin-lab"
    existing.mkdir()
    (existing / "notes.txt").write_text("mine\n")
    before = tree_hashes(existing)
    result = kedro(["new", "--starter=ml-structure", "--name", "Penguin Lab"], tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "penguin-lab already exists" in output and "never overwrites" in output, output
    assert "Traceback" not in output
    assert tree_hashes(existing) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["penguin-lab"]
