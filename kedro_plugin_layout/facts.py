"""Named facts about a project, each computed once and only when a rule asks for it.

Rules never read the disk: their `check` names the facts it needs (`manifest`, `files`,
`datasets`, `pipelines`, ...) and the engine passes them from a `Facts` object. Facts
that are expensive stay unpaid until asked for: `pipelines` imports the project's
pipeline modules (in lite mode, without its dependencies), so a check that selects no
data-flow or pipeline rule never imports them.

Every fact that cannot be read raises `ProjectReadError` naming the file or folder. What
a fact could read only in part (an interpolation it does not resolve, a stage imported
for real) is added to `notes`, which the report shows. Tests pass ready-made values as
overrides: `Facts(root, pipelines={...})`.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from kedro_plugin_layout.catalog import (
    CatalogConfig,
    catalog_entries,
    load_catalog,
    resolve_locations,
)
from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.gitignore import ignored_paths
from kedro_plugin_layout.graph import Dataflow
from kedro_plugin_layout.kinds import ImportMode
from kedro_plugin_layout.manifest import Manifest, read_pyproject
from kedro_plugin_layout.manifest_lines import ManifestLines
from kedro_plugin_layout.paths import ProjectPaths, project_paths
from kedro_plugin_layout.pipelines import Project, load_stage_pipelines
from kedro_plugin_layout.provenance import Provenance
from kedro_plugin_layout.records import (
    MODEL_ROLE,
    CatalogEntry,
    ProjectFiles,
    StagePipeline,
    Stored,
)

# Folders that are never part of the layout: tool caches, environments, build output.
SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "node_modules", ".pytest_cache",
    ".mypy_cache", ".ruff_cache", ".ipynb_checkpoints", ".tox", ".nox", "build", "dist",
    ".idea", ".vscode", ".viz", "mlruns", "site-packages",
})


_FACTS: dict[str, Callable[[Facts], Any]] = {}
# What each fact is, in a user's words: `kedro layout rules --format json` and the rules
# page (docs/rules.md) show it. Fact names are part of the rule API (third-party rules
# ask for them by name): never rename one.
_SUMMARIES: dict[str, str] = {"root": "the project root folder"}


def fact(summary: str) -> Callable[[Callable[[Facts], Any]], Callable[[Facts], Any]]:
    """Register the decorated function as the fact of its name, described by `summary`."""
    def register(func: Callable[[Facts], Any]) -> Callable[[Facts], Any]:
        _FACTS[func.__name__] = func
        _SUMMARIES[func.__name__] = summary
        return func
    return register


def fact_names() -> tuple[str, ...]:
    return tuple(_FACTS)


def fact_summaries() -> dict[str, str]:
    """Every fact a rule may ask for (`root` included), with what it is."""
    return dict(_SUMMARIES)


class Facts:
    """Lazily computed, cached facts about one project root, and the notes they left."""

    def __init__(self, root: Path | str, **overrides: Any) -> None:
        self._values: dict[str, Any] = {"root": Path(root).resolve(), **overrides}
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        """Something the report should say: what a fact could read only in part."""
        if text not in self.notes:
            self.notes.append(text)

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


@fact("pyproject.toml, parsed")
def pyproject(facts: Facts) -> dict[str, Any]:
    return read_pyproject(facts.root)


@fact("the project's paths: package, source folder, manifest")
def paths(facts: Facts) -> ProjectPaths:
    """The one model of the project's paths: every other path fact derives from it."""
    return project_paths(facts.root, facts.pyproject)


@fact("the `[tool.kedro]` table of pyproject.toml")
def kedro(facts: Facts) -> dict[str, Any]:
    return facts.paths.kedro


@fact("the Python package name, from `[tool.kedro]`")
def package_name(facts: Facts) -> str:
    return facts.paths.package


@fact("the source folder (`src` unless `[tool.kedro]` says otherwise)")
def source_dir(facts: Facts) -> str:
    return facts.paths.source_dir


@fact("the package folder, `<source_dir>/<package_name>`")
def package_dir(facts: Facts) -> str:
    return facts.paths.package_dir


@fact("the folder that holds the stages, `<package_dir>/pipelines`")
def pipelines_dir(facts: Facts) -> str:
    return facts.paths.pipelines_dir


@fact("the `[tool.kedro_layout]` manifest (the default layout when there is none)")
def manifest(facts: Facts) -> Manifest:
    return facts.paths.manifest


@fact("where each manifest entry is written in pyproject.toml, for findings to point at")
def manifest_lines(facts: Facts) -> ManifestLines:
    return ManifestLines.read(facts.root / "pyproject.toml", facts.manifest)


@fact("the package names listed in requirements.txt (none without the file)")
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


@fact("every file and folder of the project, read once (tool caches and environments left out; "
      "the data folders and models/ one level deep only)")
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


@fact("the Kedro configuration environment (`--env`)")
def env(facts: Facts) -> str | None:
    return None


@fact("the catalog configuration, merged as Kedro's OmegaConfigLoader merges it")
def catalog(facts: Facts) -> CatalogConfig:
    """The catalog as Kedro reads it: conf/base merged with conf/local (or `env`)."""
    config = load_catalog(facts.root, facts.env)
    for name, what in sorted(config.unresolved.items()):
        facts.note(f"catalog: `{name}` uses an interpolation the check does not resolve "
                   f"({what}); its location is not checked")
    return config


@fact("each catalog entry: name, type, file path and the line that declares it")
def datasets(facts: Facts) -> dict[str, CatalogEntry]:
    return catalog_entries(facts.root, facts.catalog)


@fact("where each dataset of the pipelines is stored: its layout folder and role")
def stored(facts: Facts) -> dict[str, Stored]:
    """Where each dataset of the pipelines lives, patterns resolved as Kedro resolves them;
    a transcoded name (`x@pandas`) without an entry of its own lives where `x@spark` does."""
    names = {name for stage in facts.pipelines.values() for node in stage.nodes
             for name in (*node.inputs, *node.outputs)}
    names |= set(facts.datasets)
    locations = resolve_locations(facts.root, facts.catalog, facts.datasets, sorted(names))
    return {name: storage_of(location, facts.manifest) for name, location in locations.items()}


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


@fact("how the pipelines are imported (`--import-mode`: auto, lite or full)")
def import_mode(facts: Facts) -> ImportMode:
    """How `pipelines` imports the project's code (see `kedro_plugin_layout.standins`)."""
    return ImportMode.AUTO


@fact("each stage's pipeline, built by its `create_pipeline()` (imports the stage's code; lite "
      "mode by default, without the project's dependencies)")
def pipelines(facts: Facts) -> dict[str, StagePipeline]:
    """Each manifest stage's pipeline, from its folder's `create_pipeline` (imports code)."""
    project = Project(facts.root, facts.root / facts.source_dir, facts.package_name)
    loaded = load_stage_pipelines(project, (s.folder for s in facts.manifest.stages),
                                  ImportMode(facts.import_mode))
    for text in loaded.notes:
        facts.note(text)
    return loaded.stages


@fact("the node graph of every stage, with where each dataset is stored (builds on `pipelines`)")
def dataflow(facts: Facts) -> Dataflow:
    """The node graph of every stage with where each dataset is stored: what the data-flow
    and leakage rules walk."""
    return Dataflow.build(facts.pipelines, facts.stored, facts.manifest)


@fact("where the rows in each dataset come from and what was learned from which rows, and the "
      "leaks that follow (builds on `dataflow`: reads each node's code)")
def provenance(facts: Facts) -> Provenance:
    """Split membership traced through memory and storage (`kedro_plugin_layout.provenance`):
    what the leakage rules judge. Nodes whose code could not be read are named in a note."""
    flow: Dataflow = facts.dataflow
    unread = [node for node in flow.nodes if node.code is not None and not node.code.readable]
    if unread:
        names = ", ".join(f"`{node.name}` ({node.code.note})" for node in unread[:3]
                          if node.code is not None)
        more = f" and {len(unread) - 3} more" if len(unread) > 3 else ""
        facts.note(f"leakage: the code of {len(unread)} node{'s' if len(unread) != 1 else ''} "
                   f"could not be read: {names}{more}; such a node counts as a fit only in a "
                   "training stage, or when tagged `fit`")
    return Provenance(flow, facts.datasets)


@fact("whether git ignores the files of each data folder and of models/, and their .gitkeep")
def gitignore(facts: Facts) -> dict[str, bool]:
    """Whether git ignores a file, a nested file and `.gitkeep` in each data/models folder."""
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
    "SKIPPED_DIRS",
    "Facts",
    "fact",
    "fact_names",
    "fact_summaries",
    "gitignore_probes",
    "layout_folders",
    "storage_of",
    "walk",
]
