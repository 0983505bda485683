"""Projects Kedro refuses to load (made with an older Kedro, a broken `[tool.kedro]`): one
line and exit code 2 for `kedro layout …`, from the `kedro.init` hook Kedro runs before it
reads the project (issue 27). tests/plugin/test_lookalikes.py runs it through `kedro`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kedro_plugin_layout import kedro_startup
from kedro_plugin_layout.kedro_startup import refusal, refuse_unloadable_project
from tests.plugin.trees import layout_project

INSTALLED = "1.7.0"


def with_kedro_table(root: Path, table: str) -> Path:
    text = (root / "pyproject.toml").read_text()
    start = text.index("[tool.kedro]\n")
    end = text.index("\n\n", start)
    (root / "pyproject.toml").write_text(text[:start] + table + text[end:])
    return root


@pytest.mark.parametrize(("table", "says"), [
    (('[tool.kedro]\npackage_name = "mini_lab"\nproject_name = "Mini"\n'
      'kedro_init_version = "0.19.9"\nsource_dir = "src"'),
     ("this project targets Kedro 0.19.9 ([tool.kedro] kedro_init_version) and Kedro 1.7.0 "
      "refuses to load it: `python -m kedro_plugin_layout check .` checks it without Kedro's "
      "version check; to use Kedro 1.x, migrate the project")),
    (('[tool.kedro]\npackage_name = "mini_lab"\nproject_name = "Mini"\n'
      'project_version = "0.17.7"'),
     ("this project targets Kedro 0.17.7 ([tool.kedro] project_version) and Kedro 1.7.0 "
      "refuses to load it (it needs kedro_init_version)")),
    ('[tool.kedro]\npackage_name = "mini_lab"\nsource_dir = "src"',
     ('[tool.kedro] lacks project_name, kedro_init_version, which Kedro 1.7.0 needs to load '
      'the project: add project_name = "My Project", kedro_init_version = "1.7.0"')),
    (('[tool.kedro]\npackage_name = "mini_lab"\nproject_name = "Mini"\n'
      'kedro_init_version = "1.7.0"\nlayout = "numbered"'),
     "[tool.kedro] has the key 'layout', which Kedro 1.7.0 does not know and refuses"),
    (('[tool.kedro]\npackage_name = "mini_lab"\nproject_name = "Mini"\n'
      'kedro_init_version = "1.7.0"\nsource_dir = "code"'),
     "[tool.kedro] source_dir 'code' is not a folder of the project"),
    (('[tool.kedro]\npackage_name = "mini_lab"\nproject_name = "Mini"\n'
      'kedro_init_version = "1.7.0"\nsource_dir = "../elsewhere"'),
     "[tool.kedro] source_dir '../elsewhere' is not a folder of the project"),
    ('[tool.kedro\n', "not valid TOML"),
])
def test_what_kedro_would_refuse_is_said_in_one_line(tmp_path: Path, table: str,
                                                     says: str) -> None:
    root = with_kedro_table(layout_project(tmp_path), table)
    (tmp_path / "elsewhere").mkdir()  # a folder, but outside the project
    problem = refusal(root, INSTALLED, root)
    assert problem is not None and "\n" not in problem
    assert problem.startswith(f"{root / 'pyproject.toml'}: ")
    assert says in problem, problem


def test_a_project_kedro_loads_is_left_to_kedro(tmp_path: Path) -> None:
    root = layout_project(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    assert refusal(root, INSTALLED) is None
    assert refusal(root, "1.9.2") is None  # the same major version
    with_kedro_table(root, '[tool.kedro]\npackage_name = "mini_lab"\nproject_name = "Mini"\n'
                           'kedro_init_version = "1.0.1"\nconfig_file = "ignored"')
    assert refusal(root, INSTALLED) is None


def test_the_hook_answers_only_for_kedro_layout(tmp_path: Path, monkeypatch, capsys) -> None:
    root = with_kedro_table(layout_project(tmp_path), (
        '[tool.kedro]\npackage_name = "mini_lab"\nproject_name = "Mini"\n'
        'kedro_init_version = "0.19.1"'))
    monkeypatch.chdir(root / "src")
    monkeypatch.setattr(sys, "argv", ["kedro", "run"])
    refuse_unloadable_project()  # Kedro's own commands get Kedro's own answer
    monkeypatch.setattr(sys, "argv", ["kedro", "layout", "check"])
    with pytest.raises(SystemExit) as exited:
        refuse_unloadable_project()
    assert exited.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("Error: ") and "`python -m kedro_plugin_layout check ..`" in line


def test_the_hook_is_registered_for_kedro_init() -> None:
    from importlib.metadata import entry_points

    [hook] = [ep for ep in entry_points(group="kedro.init") if ep.value.startswith(
        "kedro_plugin_layout")]
    assert hook.load() is kedro_startup.refuse_unloadable_project
