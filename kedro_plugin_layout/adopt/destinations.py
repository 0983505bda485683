"""Where `use-data` puts the file and its scoring sample, and how it writes them.

A catalog entry's file goes in the folder the entry names (interpolations such as
`${globals:data_root,data}` resolved as Kedro would), under a new name, and only inside
the project. A file already there with the same bytes is left alone; one that differs is
replaced, and the plan says so with the sizes (`ReplaceFile`); anything else there (a
link, a folder) is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kedro_plugin_layout.adopt.source import size_text
from kedro_plugin_layout.errors import UseDataError
from kedro_plugin_layout.kedro_config import BASE_ENV, Interpolation, Unresolved, read_globals
from kedro_plugin_layout.paths import ProjectPaths
from kedro_plugin_layout.plan import EditFile, Plan, sha256_bytes


@dataclass(frozen=True)
class ReplaceFile(EditFile):
    """Overwrites a data file of the same name: the plan says so, with the sizes."""

    def describe(self) -> str:
        return (f"replace file {self.path} (overwrites the file there: "
                f"{size_text(len(self.old_text))} -> {size_text(len(self.new_text))})")

    def diff(self) -> str:
        return ""


class Destinations:
    """Where a catalog entry's file goes: its folder as configured, a new file name."""

    def __init__(self, project: ProjectPaths, catalog: Any) -> None:
        self.project = project
        self.catalog = catalog
        self.globals = read_globals(project.root, BASE_ENV)

    def next_to(self, name: str, file_name: str) -> tuple[str, str]:
        """(the entry's new `filepath` as configured, the file's path in the project)."""
        configured = str(self.catalog.values[name].get("filepath") or "")
        folder = configured.rpartition("/")[0]
        value = f"{folder}/{file_name}" if folder else file_name
        scope = self.catalog.scopes[name].values
        try:
            resolved = str(Interpolation(scope, self.globals).resolve(value))
        except Unresolved as exc:
            raise UseDataError(f"`{name}`'s filepath uses {exc}, which use-data cannot "
                               "resolve; copy the file there yourself", self.project.root) \
                from None
        where = self._inside(name, resolved)
        return value, where

    def _inside(self, name: str, resolved: str) -> str:
        root = self.project.root
        if "://" in resolved:
            raise UseDataError(f"`{name}` points at {resolved}, outside this machine's "
                               "project folder; use-data writes local files only", root)
        path = Path(resolved) if Path(resolved).is_absolute() else root / resolved
        path = Path(path.parent.resolve(), path.name)
        if root != path and root not in path.parents:
            raise UseDataError(f"`{name}` points at {path}, outside the project; point it "
                               "inside (e.g. data/01_raw/) first", root)
        return PurePosixPath(path.relative_to(root)).as_posix()


def write(plan: Plan, root: Path, relative: str, content: bytes) -> None:
    """Creates the file, or replaces one of the same name that differs (the plan says so)."""
    target = root / relative
    if target.is_file() and not target.is_symlink():
        old = target.read_bytes()
        if old != content:
            plan.add(ReplaceFile(relative, sha256_bytes(old), content, old))
        return
    if os.path.lexists(target):
        raise UseDataError(f"{relative} exists and is not a regular file (a link or a folder); "
                           "move it away and run again", root)
    plan.ensure_file(root, relative, content)
