"""Rendering today's template for an upgrade: answers a record lacks take their defaults
without a question, and every answer's overlay is applied as `kedro new` applies it."""

from __future__ import annotations

import compileall
import io
import shutil
from pathlib import Path

import pytest

from kedro_ml_starter import TEMPLATE_PATH
from kedro_plugin_layout import __version__
from kedro_plugin_layout.upgrade.render import render_template

ANSWERS = {"project_name": "Penguin Lab", "repo_name": "penguin-lab",
           "python_package": "penguin_lab", "stage_style": "numbered", "engine": "pandas"}


class Terminal(io.StringIO):
    """A stdin that says it is a terminal: the starter would ask its questions there."""

    def isatty(self) -> bool:
        return True

    def readline(self, *args: object) -> str:
        raise AssertionError("the upgrade asked a question")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", Terminal())


def test_an_answer_the_record_lacks_takes_its_default_without_asking(tmp_path: Path,
                                                                      terminal):
    """A project recorded before `tracking` existed renders as `tracking: none`."""
    rendered = render_template(Path(TEMPLATE_PATH), __version__, ANSWERS, "1.7.0", tmp_path)

    assert rendered.answers["tracking"] == "none"
    assert "conf/base/tracking.yml" not in rendered.files
    assert not [path for path in rendered.files if path.startswith("_")]


def test_each_chosen_overlay_is_applied_and_every_overlay_removed(tmp_path: Path, terminal):
    answers = {**ANSWERS, "engine": "spark", "tracking": "mlflow"}

    rendered = render_template(Path(TEMPLATE_PATH), __version__, answers, "1.7.0", tmp_path)

    assert {"conf/base/tracking.yml", "conf/base/spark.yml"} <= set(rendered.files)
    assert b"spark.SparkDatasetV2" in rendered.files["conf/base/catalog.yml"]
    assert not [path for path in rendered.files if path.startswith("_")]


def test_bytecode_pip_compiled_in_the_installed_template_is_not_a_template_file(
        tmp_path: Path, terminal):
    """pip byte-compiles an installed template's `.py` files; an upgrade must not add the
    `__pycache__` folders to the project (`kedro new` does not)."""
    installed = Path(shutil.copytree(TEMPLATE_PATH, tmp_path / "installed"))
    compileall.compile_dir(installed, quiet=2)
    assert list(installed.rglob("__pycache__/*.pyc"))  # as in site-packages

    rendered = render_template(installed, __version__, ANSWERS, "1.7.0", tmp_path / "out")
    clean = render_template(Path(TEMPLATE_PATH), __version__, ANSWERS, "1.7.0",
                            tmp_path / "clean")

    assert [path for path in rendered.files if "__pycache__" in path] == []
    assert rendered.files == clean.files
