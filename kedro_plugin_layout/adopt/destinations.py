"""Where `use-data` puts the file and its scoring sample.

A catalog entry's file goes in the folder the entry names (interpolations such as
`${globals:data_root,data}` resolved as Kedro would), under a new name, and only inside
the project. Writing it is the plan's (`Plan.put_file`): a file already there with the
same bytes is left alone, one that differs is replaced and the plan says so, anything
else there (a link, a folder) is refused.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from kedro_plugin_layout.errors import UseDataError
from kedro_plugin_layout.project.config import BASE_ENV, Interpolation, Unresolved, read_globals


class Destinations:
    """Where a catalog entry's file goes: its folder as configured, a new file name."""

    def __init__(self, root: Path, catalog: Any) -> None:
        self.root = root
        self.catalog = catalog
        self.globals = read_globals(root, BASE_ENV)

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
                               "resolve; copy the file there yourself", self.root) from None
        return value, self._inside(name, resolved)

    def _inside(self, name: str, resolved: str) -> str:
        root = self.root
        if "://" in resolved:
            raise UseDataError(f"`{name}` points at {resolved}, outside this machine's "
                               "project folder; use-data writes local files only", root)
        path = Path(resolved) if Path(resolved).is_absolute() else root / resolved
        path = Path(path.parent.resolve(), path.name)
        if root != path and root not in path.parents:
            raise UseDataError(f"`{name}` points at {path}, outside the project; point it "
                               "inside (e.g. data/01_raw/) first", root)
        return PurePosixPath(path.relative_to(root)).as_posix()
