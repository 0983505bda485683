"""Named facts about a project, each computed once and only when a rule asks for it.

Rules never read the disk: their `check` names the facts it needs (`manifest`, `files`,
`datasets`, `pipelines`, ...) and the engine passes them from a `Facts` object. Facts
that are expensive stay unpaid until asked for: `pipelines` imports the project's code,
so a check that selects no data-flow or pipeline rule never imports it.

Every fact that cannot be read raises `ProjectReadError` naming the file or folder.
Tests pass ready-made values as overrides: `Facts(root, pipelines={...})`.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.manifest import Manifest, load_manifest, read_pyproject

# Folders that are never part of the layout: tool caches, environments, build output.
SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "node_modules", ".pytest_cache",
    ".mypy_cache", ".ruff_cache", ".ipynb_checkpoints", ".tox", ".nox", "build", "dist",
    ".idea", ".vscode", ".viz", "mlruns", "site-packages",
})
# Storage that is never inside a checked-out project: object stores, HDFS, Databricks.
REMOTE_PREFIXES = ("s3://", "s3a://", "s3n://", "gs://", "gcs://", "abfs://", "abfss://",
                   "az://", "adl://", "wasb://", "wasbs://", "hdfs://", "webhdfs://",
                   "viewfs://", "http://", "https://", "dbfs:/", "oss://")
# Where Databricks mounts cluster storage (DBFS, Unity Catalog volumes) as local paths.
MOUNT_PREFIXES = ("/dbfs/", "/Volumes/")
MODEL_ROLE = "models"


@dataclass(frozen=True)
class ProjectFiles:
    """The project's files and folders as relative posix paths (skipping SKIPPED_DIRS).

    Below each data folder and the models folder only the first level is listed: their
    contents can be huge and no rule looks inside them.
    """

    files: frozenset[str]
    dirs: frozenset[str]

    def is_file(self, path: str) -> bool:
        return path in self.files

    def is_dir(self, path: str) -> bool:
        return path in self.dirs

    def subdirs(self, path: str) -> list[str]:
        """Names of the folders directly inside `path`, sorted."""
        prefix = f"{path.rstrip('/')}/"
        return sorted(d[len(prefix):] for d in self.dirs
                      if d.startswith(prefix) and "/" not in d[len(prefix):])

    def under(self, path: str) -> list[str]:
        """Every file below `path` (the whole project for ""), sorted."""
        if not path:
            return sorted(self.files)
        prefix = f"{path.rstrip('/')}/"
        return sorted(f for f in self.files if f.startswith(prefix))


@dataclass(frozen=True)
class CatalogEntry:
    """A catalog dataset (or dataset factory pattern) and where it stores its data.

    `location` is the lexically normalised path relative to the project root, `None`
    when the dataset has no file path; `outside` says the path leaves the project (an
    absolute path elsewhere, `..`, or remote storage) and `remote` that it is cluster or
    cloud storage (`s3a://`, `abfss://`, `dbfs:/`, `/Volumes/`, ...). For a pattern such
    as `{name}_features`, `location` is the fixed folder before the first placeholder.
    """

    name: str
    type: str
    filepath: str | None
    location: str | None
    outside: bool = False
    pattern: bool = False
    versioned: bool = False
    source: str | None = None
    line: int | None = None
    remote: bool = False


@dataclass(frozen=True)
class Node:
    """A node of a stage's pipeline: what it reads and writes (parameters left out)."""

    name: str
    stage: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StagePipeline:
    """What a stage folder's `create_pipeline` gave: `ok` with nodes, or why not."""

    stage: str
    status: str  # ok | missing | no_pipeline
    nodes: tuple[Node, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class Stored:
    """Where a pipeline dataset lives: its location and the layout folder holding it."""

    location: str | None
    folder: str | None = None
    role: str | None = None  # the data folder's role, or "models"


_FACTS: dict[str, Callable[[Facts], Any]] = {}


def fact(func: Callable[[Facts], Any]) -> Callable[[Facts], Any]:
    _FACTS[func.__name__] = func
    return func


def fact_names() -> tuple[str, ...]:
    return tuple(_FACTS)


class Facts:
    """Lazily computed, cached facts about one project root."""

    def __init__(self, root: Path | str, **overrides: Any) -> None:
        self._values: dict[str, Any] = {"root": Path(root).resolve(), **overrides}

    def get(self, name: str) -> Any:
        if name not in self._values:
            if name not in _FACTS:
                raise KeyError(name)
            self._values[name] = _FACTS[name](self)
        return self._values[name]

    def computed(self) -> frozenset[str]:
        """The facts computed (or given) so far: lets tests prove laziness."""
        return frozenset(self._values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or (name not in _FACTS and name not in self._values):
            raise AttributeError(name)
        return self.get(name)


# -- the project and its manifest -----------------------------------------------------------


@fact
def pyproject(facts: Facts) -> dict[str, Any]:
    return read_pyproject(facts.root)


@fact
def kedro(facts: Facts) -> dict[str, Any]:
    """`[tool.kedro]`: package_name and source_dir."""
    table = facts.pyproject.get("tool", {}).get("kedro")
    path = facts.root / "pyproject.toml"
    if not isinstance(table, Mapping) or not isinstance(table.get("package_name"), str):
        raise ProjectReadError(
            "no [tool.kedro] package_name: not a Kedro project; pass the project's folder",
            path,
        )
    return dict(table)


@fact
def package_name(facts: Facts) -> str:
    return facts.kedro["package_name"]


@fact
def source_dir(facts: Facts) -> str:
    """The source folder relative to the root (`src` unless [tool.kedro] says otherwise)."""
    return _relative(facts.root, Path(facts.root, facts.kedro.get("source_dir", "src")))


@fact
def package_dir(facts: Facts) -> str:
    return f"{facts.source_dir}/{facts.package_name}" if facts.source_dir else facts.package_name


@fact
def pipelines_dir(facts: Facts) -> str:
    return f"{facts.package_dir}/pipelines"


@fact
def manifest(facts: Facts) -> Manifest:
    return load_manifest(facts.root, facts.pyproject)


@fact
def requirements(facts: Facts) -> tuple[str, ...] | None:
    """Names in requirements.txt, normalised (`kedro-datasets`), or None without the file."""
    path = facts.root / "requirements.txt"
    if not path.is_file():
        return None
    text = _read_text(path)
    names = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        name = PurePosixPath(line).name if "/" in line else line
        for sep in "[<>=!~;@ ":
            name = name.split(sep, 1)[0]
        names.append(name.lower().replace("_", "-").replace(".", "-"))
    return tuple(names)


# -- files -------------------------------------------------------------------------------------


@fact
def files(facts: Facts) -> ProjectFiles:
    shallow = {f"{facts.manifest.data_root}", facts.manifest.models}
    return walk(facts.root, shallow)


def walk(root: Path, shallow: set[str] = frozenset()) -> ProjectFiles:  # type: ignore[assignment]
    """Every file and folder under root. Refuses symlink loops and unreadable folders."""
    files: set[str] = set()
    dirs: set[str] = set()
    stack = [(root, (os.path.realpath(root),))]
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


# -- the catalog -------------------------------------------------------------------------------


@fact
def catalog(facts: Facts) -> dict[str, dict[str, Any]]:
    """The catalog as Kedro reads it: conf/base merged with conf/local (or `env`)."""
    from kedro_plugin_layout.catalog import load_catalog

    return load_catalog(facts.root, facts.get("env"))


@fact
def env(facts: Facts) -> str | None:
    return None


@fact
def datasets(facts: Facts) -> dict[str, CatalogEntry]:
    from kedro_plugin_layout.catalog import catalog_entries

    return catalog_entries(facts.root, facts.catalog, facts.env)


@fact
def stored(facts: Facts) -> dict[str, Stored]:
    """Where each dataset of the pipelines lives, patterns resolved as Kedro resolves them;
    a transcoded name (`x@pandas`) without an entry of its own lives where `x@spark` does."""
    from kedro_plugin_layout.catalog import resolve_locations

    names = {name for stage in facts.pipelines.values() for node in stage.nodes
             for name in (*node.inputs, *node.outputs)}
    names |= set(facts.datasets)
    locations = resolve_locations(facts.root, facts.catalog, facts.datasets, sorted(names))
    return {name: storage_of(location, facts.manifest) for name, location in locations.items()}


def dataset_base(name: str) -> str:
    """`features@spark` and `features@pandas` are one dataset (Kedro transcoding)."""
    return name.split("@", 1)[0]


def storage_of(location: str | None, manifest: Manifest) -> Stored:
    """The layout folder a relative location falls in: a data folder, models/, or none."""
    if location is None:
        return Stored(None)
    if _is_under(location, manifest.models):
        return Stored(location, manifest.models, MODEL_ROLE)
    for folder in manifest.data:
        if _is_under(location, f"{manifest.data_root}/{folder.folder}"):
            return Stored(location, folder.folder, folder.role)
    return Stored(location)


# -- pipelines and git ---------------------------------------------------------------------------


@fact
def pipelines(facts: Facts) -> dict[str, StagePipeline]:
    """Each manifest stage's pipeline, from its folder's `create_pipeline` (imports code)."""
    from kedro_plugin_layout.pipelines import load_stage_pipelines

    return load_stage_pipelines(
        facts.root / facts.source_dir, facts.package_name, facts.manifest.stages
    )


@fact
def gitignore(facts: Facts) -> dict[str, bool]:
    """Whether git ignores a file, a nested file and `.gitkeep` in each data/models folder."""
    from kedro_plugin_layout.gitignore import ignored_paths

    answer, _ = ignored_paths(facts.root, gitignore_probes(facts.manifest))
    return answer


def gitignore_probes(manifest: Manifest) -> list[str]:
    probes = []
    for folder in layout_folders(manifest):
        probes += [f"{folder}/file.csv", f"{folder}/nested/file.parquet", f"{folder}/.gitkeep"]
    return probes


def layout_folders(manifest: Manifest) -> list[str]:
    """The data folders and the models folder, as paths relative to the root."""
    return [f"{manifest.data_root}/{d.folder}" for d in manifest.data] + [manifest.models]


# -- helpers -----------------------------------------------------------------------------------


def _relative(root: Path, path: Path) -> str:
    rel = os.path.relpath(os.path.normpath(path), root)
    return "" if rel == "." else PurePosixPath(Path(rel)).as_posix()


def _is_under(location: str, folder: str) -> bool:
    return location == folder or location.startswith(f"{folder.rstrip('/')}/")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectReadError(f"cannot be read ({exc}); fix the file", path.name) from None


__all__ = [
    "Facts", "ProjectFiles", "CatalogEntry", "Node", "StagePipeline", "Stored",
    "fact_names", "walk", "storage_of", "dataset_base", "gitignore_probes", "layout_folders",
    "MODEL_ROLE", "REMOTE_PREFIXES", "MOUNT_PREFIXES",
]
