"""What DVC tracks in a project: the paths `dvc pull` or `dvc repro` bring back.

A `.dvc` file lists its outputs (`outs: - path: 01_raw`, relative to the file's folder);
a `dvc.yaml` lists each stage's `outs`, `metrics` and `plots` (relative to the stage's
`wdir`, by default the file's folder). Outputs are cached by DVC and kept out of git
(DVC writes them into a `.gitignore`) unless they say `cache: false`.

A fresh clone of such a project has no data until `dvc pull`: the folders exist only in
the catalog and in DVC's files. `kedro layout init` reads them to know the data folders,
and the check does not ask for a `.gitkeep` in a folder DVC restores whole.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DVC_FILE_SUFFIX = ".dvc"
PIPELINE_FILE = "dvc.yaml"
_OUTPUT_KEYS = ("outs", "metrics", "plots")


@dataclass(frozen=True)
class DvcTracked:
    """Paths (relative posix) that DVC restores; `cached`: those it keeps out of git.
    `unreadable` names the DVC files that could not be read."""

    paths: frozenset[str] = frozenset()
    cached: frozenset[str] = frozenset()
    unreadable: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.paths)

    def restores(self, path: str) -> bool:
        """Whether DVC brings back `path`: it is tracked, or inside a tracked folder."""
        return any(_is_under(path, tracked) for tracked in self.paths)

    def keeps_out_of_git(self, path: str) -> bool:
        """Whether `path` is inside an output DVC caches (its own .gitignore excludes it)."""
        return any(_is_under(path, tracked) for tracked in self.cached)


def uses_dvc(root: Path, files: Iterable[str]) -> bool:
    """A DVC repository (`.dvc/` at the root) or any DVC file among `files`."""
    return (root / ".dvc").is_dir() or any(_is_dvc_file(path) for path in files)


def dvc_files(root: Path, files: Iterable[str], data_root: str) -> list[str]:
    """The DVC files of a project: those among `files` (the project's files, its data
    folders one level deep) and, in a DVC project, those inside each data folder, where
    `dvc add data/01_raw/rows.csv` puts `rows.csv.dvc`."""
    files = list(files)
    found = {path for path in files if _is_dvc_file(path)}
    if not uses_dvc(root, files):
        return []
    for folder in _subfolders(root / data_root):
        for entry in _entries(folder):
            if entry.endswith(DVC_FILE_SUFFIX):
                found.add(f"{data_root}/{folder.name}/{entry}")
    return sorted(found)


def read_dvc(root: Path, paths: Iterable[str]) -> DvcTracked:
    """What the DVC files at `paths` track. A file that cannot be read or parsed is
    listed in `unreadable` and tracks nothing."""
    # PyYAML loads only for a project that tracks data with DVC
    import yaml

    tracked: set[str] = set()
    cached: set[str] = set()
    unreadable = []
    for path in paths:
        try:
            document = yaml.safe_load((root / path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            unreadable.append(path)
            continue
        folder = posixpath.dirname(path)
        outputs = (_stage_outputs(document, folder) if posixpath.basename(path) == PIPELINE_FILE
                   else _file_outputs(document, folder))
        for output, cache in outputs:
            tracked.add(output)
            if cache:
                cached.add(output)
    return DvcTracked(frozenset(tracked), frozenset(cached), tuple(unreadable))


def _file_outputs(document: Any, folder: str) -> list[tuple[str, bool]]:
    """`outs` of a `.dvc` file: paths relative to the file's folder."""
    outs = document.get("outs") if isinstance(document, Mapping) else None
    return [out for entry in outs or () if (out := _output(entry, folder)) is not None]


def _stage_outputs(document: Any, folder: str) -> list[tuple[str, bool]]:
    """`outs`, `metrics` and `plots` of each stage of a `dvc.yaml` (templated ones, which
    only DVC can expand, are left out)."""
    stages = document.get("stages") if isinstance(document, Mapping) else None
    out = []
    for stage in (stages or {}).values() if isinstance(stages, Mapping) else ():
        if not isinstance(stage, Mapping):
            continue
        wdir = stage.get("wdir", ".")
        base = posixpath.normpath(posixpath.join(folder, wdir)) if isinstance(wdir, str) else folder
        for key in _OUTPUT_KEYS:
            for entry in stage.get(key) or ():
                output = _output(entry, base)
                if output is not None:
                    out.append(output)
    return out


def _output(entry: Any, folder: str) -> tuple[str, bool] | None:
    """(project-relative path, cached?) of one output entry: `path`, `{path: {cache: …}}`
    or `{path: …, cache: …}`; None for a templated, absolute or escaping path."""
    cache = True
    if isinstance(entry, str):
        path = entry
    elif isinstance(entry, Mapping) and isinstance(entry.get("path"), str):
        path, cache = entry["path"], entry.get("cache", True) is not False
    elif isinstance(entry, Mapping) and len(entry) == 1:
        path, options = next(iter(entry.items()))
        if isinstance(options, Mapping):
            cache = options.get("cache", True) is not False
    else:
        return None
    if not isinstance(path, str) or "${" in path or posixpath.isabs(path) or "://" in path:
        return None
    joined = posixpath.normpath(posixpath.join(folder, path.rstrip("/")))
    if joined in (".", "..") or joined.startswith("../"):
        return None
    return joined, cache


def _is_dvc_file(path: str) -> bool:
    name = posixpath.basename(path)
    return name == PIPELINE_FILE or (name.endswith(DVC_FILE_SUFFIX) and name != DVC_FILE_SUFFIX)


def _subfolders(folder: Path) -> list[Path]:
    try:
        return [Path(e.path) for e in os.scandir(folder)
                if e.is_dir() and not e.name.startswith(".")]
    except OSError:
        return []


def _entries(folder: Path) -> list[str]:
    try:
        return [e.name for e in os.scandir(folder) if e.is_file()]
    except OSError:
        return []


def _is_under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(f"{folder}/")


__all__ = ["DvcTracked", "dvc_files", "read_dvc", "uses_dvc"]
