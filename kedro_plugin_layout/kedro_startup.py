"""One line and exit code 2 for `kedro layout …` in a project Kedro refuses to load.

Kedro 1.x refuses a project made with another major version (`kedro_init_version =
"0.19.9"`) or without `kedro_init_version` (Kedro 0.18 and older wrote `project_version`),
and one whose `[tool.kedro]` or source folder it cannot use. It refuses while it bootstraps
the project, before any plugin command runs: a traceback and exit code 1, which `kedro
layout check` uses for "findings", so CI could not tell a crash from findings.

`main()` of `kedro` calls every `kedro.init` entry point before it reads the project:
`refuse_unloadable_project` is ours. For `kedro layout …` (and nothing else: every other
command stays Kedro's) it reads `[tool.kedro]` as Kedro is about to, and when Kedro would
refuse it prints what the project targets and what to do, and exits with 2. `python -m
kedro_plugin_layout check PATH` reads such a project without Kedro's checks. The hook runs
on every `kedro` call: it looks at the command line before it imports anything.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_MANDATORY = ("package_name", "project_name", "kedro_init_version")
_KNOWN = (*_MANDATORY, "source_dir", "tools", "example_pipeline")
_SET_BY_KEDRO = ("config_file", "project_path")  # Kedro overwrites them: allowed
_MIGRATION = "https://github.com/kedro-org/kedro/blob/main/RELEASE.md"


def refuse_unloadable_project() -> None:
    """`kedro.init` entry point: exits 2 with one line when `kedro layout` is run in a
    project Kedro is about to refuse; does nothing otherwise."""
    if sys.argv[1:2] != ["layout"]:
        return
    # only for `kedro layout`: this hook runs on every `kedro` call
    from kedro import __version__ as installed
    from kedro.utils import find_kedro_project

    cwd = Path.cwd()
    root = find_kedro_project(cwd)
    if root is None:
        return
    problem = refusal(Path(root), installed, cwd)
    if problem is not None:
        sys.stderr.write(f"Error: {problem}\n")
        raise SystemExit(2)


def refusal(root: Path, installed: str, cwd: Path | None = None) -> str | None:
    """Why Kedro `installed` will refuse to load the project at `root` (one line naming the
    file, what the project targets and what to do), or None when it will load it."""
    # only for `kedro layout`: this hook runs on every `kedro` call
    import tomllib

    path = root / "pyproject.toml"
    where = _relative(root, cwd or root)
    offline = (f"`python -m kedro_plugin_layout check {where}` checks it without Kedro's "
               "version check")
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("kedro")
    except (OSError, UnicodeDecodeError) as exc:
        return f"{path}: cannot be read ({exc}); fix it so Kedro can load the project"
    except tomllib.TOMLDecodeError as exc:
        return f"{path}: not valid TOML ({exc}); fix the syntax so Kedro can load the project"
    if not isinstance(table, Mapping):
        return None
    major = installed.split(".")[0]
    target = table.get("kedro_init_version")
    if target is None and isinstance(table.get("project_version"), str):
        return (f"{path}: this project targets Kedro {table['project_version']} "
                "([tool.kedro] project_version) and Kedro "
                f"{installed} refuses to load it (it needs kedro_init_version): {offline}; "
                f"to use Kedro {major}.x, migrate the project ({_MIGRATION})")
    missing = [key for key in _MANDATORY if key not in table]
    if missing:
        return (f"{path}: [tool.kedro] lacks {', '.join(missing)}, which Kedro {installed} "
                f"needs to load the project: add {_examples(missing, installed)}; {offline}")
    if str(target).split(".")[0] != major:
        return (f"{path}: this project targets Kedro {target} ([tool.kedro] "
                f"kedro_init_version) and Kedro {installed} refuses to load it: {offline}; "
                f"to use Kedro {major}.x, migrate the project ({_MIGRATION}) and set "
                f'kedro_init_version = "{installed}"')
    unknown = sorted(set(table) - set(_KNOWN) - set(_SET_BY_KEDRO))
    if unknown:
        return (f"{path}: [tool.kedro] has the key {unknown[0]!r}, which Kedro {installed} "
                f"does not know and refuses: remove it (allowed: {', '.join(_KNOWN)})")
    source = table.get("source_dir", "src")
    folder = (root / Path(str(source)).expanduser()).resolve()
    if not folder.is_relative_to(root.resolve()) or not folder.is_dir():
        return (f"{path}: [tool.kedro] source_dir {source!r} is not a folder of the project, "
                "so Kedro cannot load it: create it or point source_dir at the package's "
                "folder")
    return None


def _examples(keys: list[str], installed: str) -> str:
    values: dict[str, Any] = {"package_name": '"my_package"', "project_name": '"My Project"',
                              "kedro_init_version": f'"{installed}"'}
    return ", ".join(f"{key} = {values[key]}" for key in keys)


def _relative(root: Path, cwd: Path) -> str:
    relative = os.path.relpath(root.resolve(), cwd.resolve())
    return relative if " " not in relative else f'"{relative}"'


__all__ = ["refusal", "refuse_unloadable_project"]
