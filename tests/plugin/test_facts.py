"""Facts: computed once, lazily; unreadable projects are one clear ProjectReadError."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kedro_plugin_layout.check.facts import Facts
from kedro_plugin_layout.commands.check import check
from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.project.gitignore import GitignoreMatcher
from tests.plugin.trees import PACKAGE, layout_project, write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return layout_project(tmp_path)


def test_pipelines_are_not_imported_unless_a_selected_rule_needs_them(project: Path) -> None:
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]
    facts = Facts(project)
    from kedro_plugin_layout.check.engine import run
    from kedro_plugin_layout.check.registry import load_registry

    run(facts, load_registry(), select=["KL1", "KL3", "KL5"])
    assert "pipelines" not in facts.computed()
    assert PACKAGE not in sys.modules
    report = run(facts, load_registry(), select=["KL402"])
    assert "pipelines" in facts.computed()
    assert len(facts.get("pipelines")["05_api"].nodes) == 1
    assert report.notes == ("pipelines: 5 stages read in lite mode",)
    # lite mode leaves nothing of the project behind: later imports are real again
    assert PACKAGE not in sys.modules


def test_a_fact_is_computed_once(project: Path) -> None:
    facts = Facts(project)
    assert facts.get("files") is facts.get("files")


def test_two_projects_with_the_same_package_in_one_process(tmp_path: Path) -> None:
    first = layout_project(tmp_path / "a")
    second = layout_project(tmp_path / "b")
    (second / "src" / PACKAGE / "pipelines" / "05_api" / "pipeline.py").write_text(
        "from kedro.pipeline import Pipeline\n\ndef create_pipeline(**kwargs):\n"
        "    return Pipeline([])\n")
    assert check(first, select=["KL204"]).exit_code == 0
    assert check(second, select=["KL204"]).exit_code == 1
    assert check(first, select=["KL204"]).exit_code == 0


def test_symlink_loop_is_named(project: Path) -> None:
    os.symlink(project / "notebooks", project / "notebooks" / "again")
    with pytest.raises(ProjectReadError) as error:
        Facts(project).get("files")
    assert error.value.message.startswith("notebooks/again: symlink loop")


def test_unreadable_folder_is_named(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_scandir = os.scandir
    locked = str(project / "notebooks")

    def scandir(path):  # root ignores permissions, so the refusal is simulated
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(ProjectReadError) as error:
        Facts(project).get("files")
    assert error.value.message == "notebooks: folder cannot be read (Permission denied); " \
                                  "fix its permissions"


def test_skipped_folders_are_not_walked(project: Path) -> None:
    write(project, ".venv/lib/data.csv", "x")
    write(project, "src/mini_lab/__pycache__/x.pkl", "x")
    files = Facts(project).get("files")
    assert not any(f.startswith(".venv") or "__pycache__" in f for f in files.files)


def test_catalog_yaml_error_names_the_file(project: Path) -> None:
    write(project, "conf/base/catalog_more.yml", "broken: [unclosed\n")
    with pytest.raises(ProjectReadError) as error:
        Facts(project).get("catalog")
    assert error.value.message.startswith("conf/base/catalog_more.yml: not valid YAML (line")
    assert "\n" not in error.value.message


def test_catalog_subfolders_and_factory_patterns(project: Path) -> None:
    write(project, "conf/base/catalog/extra.yml",
          "extra:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/extra.csv\n")
    facts = Facts(project)
    assert facts.get("datasets")["extra"].location == "data/01_raw/extra.csv"
    assert facts.get("datasets")["extra"].source == "conf/base/catalog/extra.yml"
    stored = facts.get("stored")
    assert stored["train_features"].location == "data/02_train/train_features.parquet"
    assert stored["train_features"].role == "train"
    assert stored["test_features"].role == "test"
    assert stored["transformer"].role == "models"


def test_not_a_kedro_project(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    with pytest.raises(ProjectReadError) as error:
        check(tmp_path)
    assert "no [tool.kedro] package_name" in error.value.message


@pytest.mark.parametrize(("lines", "path", "ignored"), [
    (["data/**", "!data/**/", "!data/**/.gitkeep"], "data/01_raw/x.csv", True),
    (["data/**", "!data/**/", "!data/**/.gitkeep"], "data/01_raw/.gitkeep", False),
    (["data/*", "!data/01_raw/.gitkeep"], "data/01_raw/.gitkeep", True),
    (["*.csv"], "data/01_raw/x.csv", True),
    (["/models/"], "models/m.pkl", True),
    (["/models/"], "src/models/m.pkl", False),
    (["# comment", ""], "models/m.pkl", False),
])
def test_gitignore_matcher(lines: list[str], path: str, ignored: bool) -> None:
    assert GitignoreMatcher(lines).ignored(path) is ignored


def test_requirements_names_every_form_a_project_may_use(project: Path) -> None:
    (project / "requirements.txt").write_text(
        "kedro~=1.7.0\n# the runtime, from a wheel\n"
        "kedro-ml-structure @ file:///srv/kedro_ml_structure-0.3.0-py3-none-any.whl#sha256=ab\n"
        "kedro_datasets[pandas-csvdataset]>=9\n-r more.txt\n"
        "pandera @ git+https://github.com/unionai-oss/pandera@v0.24\n")

    assert Facts(project).get("requirements") == (
        "kedro", "kedro-ml-structure", "kedro-datasets", "pandera")
