"""KL5xx: .gitignore (asked of git when the project is a repository) and requirements."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.plugin.trees import GITIGNORE, layout_project, outcome


@pytest.fixture(params=["git", "no-git"])
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    root = layout_project(tmp_path)
    if request.param == "git":
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_the_complete_tree_passes_every_hygiene_rule(project: Path) -> None:
    for rule in ("KL501", "KL502", "KL503"):
        assert outcome(project, rule)[0] == "pass", rule


def test_kl501_data_contents_not_ignored(project: Path) -> None:
    (project / ".gitignore").write_text(GITIGNORE.replace("data/**\n", ""))
    status, messages = outcome(project, "KL501")
    assert status == "fail"
    assert "lets the contents of `data/01_raw/` into git" in messages[0]


def test_kl501_gitkeep_ignored_with_its_folder(project: Path) -> None:
    (project / ".gitignore").write_text("data/*\nmodels/**\n!models/**/\n!models/**/.gitkeep\n")
    status, messages = outcome(project, "KL501")
    assert status == "fail"
    assert any("ignores `data/02_train/.gitkeep`" in m for m in messages)


def test_kl502_models_not_ignored(project: Path) -> None:
    (project / ".gitignore").write_text("data/**\n!data/**/\n!data/**/.gitkeep\n")
    status, messages = outcome(project, "KL502")
    assert status == "fail" and "`models/`" in messages[0]


def test_kl502_without_a_gitignore(project: Path) -> None:
    (project / ".gitignore").unlink()
    assert outcome(project, "KL502")[0] == "fail"


def test_kl503_requirements_without_kedro(project: Path) -> None:
    (project / "requirements.txt").write_text("kedro-datasets>=9\npandas\n")
    status, messages = outcome(project, "KL503")
    assert status == "fail" and "does not name kedro" in messages[0]


def test_kl503_is_skipped_when_kl106_fails(project: Path) -> None:
    (project / "requirements.txt").unlink()
    status, messages = outcome(project, "KL503")
    assert status == "skip" and "requires KL106" in messages[0]
