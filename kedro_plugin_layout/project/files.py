"""The project's files and folders, read once by walking its tree.

Tool caches, environments and build output are never part of the layout; below each data
folder and the models folder only the first level is listed (their contents can be huge
and no rule looks inside them). A symlink loop or an unreadable folder is one clear error.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.project.records import ProjectFiles

# Folders that are never part of the layout: tool caches, environments, build output.
SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "node_modules", ".pytest_cache",
    ".mypy_cache", ".ruff_cache", ".ipynb_checkpoints", ".tox", ".nox", "build", "dist",
    ".idea", ".vscode", ".viz", "mlruns", "site-packages", ".dvc",
})


def walk(root: Path, shallow: Iterable[str] = ()) -> ProjectFiles:
    """Every file and folder under root. Refuses symlink loops and unreadable folders."""
    files: set[str] = set()
    dirs: set[str] = set()
    shallow = tuple(shallow)
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, (os.path.realpath(root),))]
    while stack:
        folder, ancestors = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            raise _unreadable(root, folder, exc) from None
        for entry in entries:
            rel = _relative(root, Path(entry.path))
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError as exc:
                raise _unreadable(root, Path(entry.path), exc) from None
            if not is_dir:
                files.add(rel)
                continue
            if entry.name in SKIPPED_DIRS or entry.name.endswith(".egg-info"):
                continue
            dirs.add(rel)
            real = os.path.realpath(entry.path)
            if entry.is_symlink() and any(real == a or a.startswith(real + os.sep)
                                          for a in ancestors):
                raise ProjectReadError(
                    "symlink loop: this folder links back to one of its parents; "
                    "remove the link or point it elsewhere", rel,
                )
            if not any(rel.startswith(f"{s}/") for s in shallow):
                stack.append((Path(entry.path), (*ancestors, real)))
    return ProjectFiles(frozenset(files), frozenset(dirs))


def _unreadable(root: Path, path: Path, exc: OSError) -> ProjectReadError:
    rel = _relative(root, path) or "."
    if exc.errno == errno.ELOOP:
        return ProjectReadError("symlink loop; remove the link or point it elsewhere", rel)
    return ProjectReadError(
        f"folder cannot be read ({exc.strerror}); fix its permissions", rel
    )


def _relative(root: Path, path: Path) -> str:
    rel = os.path.relpath(os.path.normpath(path), root)
    return "" if rel == "." else PurePosixPath(Path(rel)).as_posix()
