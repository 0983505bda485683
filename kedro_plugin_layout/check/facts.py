"""Named facts about a project, each computed once and only when a rule asks for it.

Rules never read the disk: their `check` names the facts it needs (`manifest`, `files`,
`datasets`, `pipelines`, ...) and the engine passes them from a `Facts` object. Facts
that are expensive stay unpaid until asked for: `pipelines` imports the project's
pipeline modules (in lite mode, without its dependencies), so a check that selects no
data-flow or pipeline rule never imports them.

The project itself is read through the one model of it the writing commands use too
(`project.model.Project`, the `paths` fact): the facts name what a rule may ask, the
project reads it. Every fact that cannot be read raises `ProjectReadError` naming the file
or folder. What a fact could read only in part (an interpolation it does not resolve, a
stage imported for real) is added to `notes`, which the report shows. Tests pass
ready-made values as overrides: `Facts(root, pipelines={...})`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kedro_ml_starter.manifest import Manifest, read_pyproject
from kedro_plugin_layout.check.graph import Dataflow
from kedro_plugin_layout.check.provenance import Provenance
from kedro_plugin_layout.kinds import ImportMode
from kedro_plugin_layout.project.catalog import (
    CatalogConfig,
    catalog_entries,
    resolve_locations,
    storage_of,
)
from kedro_plugin_layout.project.dvc import DvcTracked
from kedro_plugin_layout.project.gitignore import gitignore_probes
from kedro_plugin_layout.project.manifest_lines import ManifestLines
from kedro_plugin_layout.project.model import Project, load_project
from kedro_plugin_layout.project.records import (
    CatalogEntry,
    ProjectFiles,
    StagePipeline,
    Stored,
)
from kedro_plugin_layout.project.requirements import requirement_names

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


@fact("the project as read: package, source folder, manifest (its other parts read on "
      "first use)")
def paths(facts: Facts) -> Project:
    """The one model of the project (its paths, and what is read of it): every other fact
    about the project derives from it."""
    return load_project(facts.root, facts.pyproject)


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
    """Names in requirements.txt and the files it includes, PEP 503-normalised
    (`kedro-datasets`), or None without the file."""
    path = facts.root / "requirements.txt"
    if not path.is_file():
        return None
    return requirement_names(path, facts.root)


# -- files -------------------------------------------------------------------------------------


@fact("every file and folder of the project, read once (tool caches and environments left out; "
      "the data folders and models/ one level deep only)")
def files(facts: Facts) -> ProjectFiles:
    return facts.paths.files


@fact("the paths DVC restores (outputs of `*.dvc` files and `dvc.yaml` stages)")
def dvc(facts: Facts) -> DvcTracked:
    tracked = facts.paths.dvc()
    for path in tracked.unreadable:
        facts.note(f"dvc: {path} cannot be read as YAML; what it tracks is not known")
    return tracked


# -- the catalog -------------------------------------------------------------------------------


@fact("the Kedro configuration environment (`--env`)")
def env(facts: Facts) -> str | None:
    return None


@fact("the catalog configuration, merged as Kedro's OmegaConfigLoader merges it")
def catalog(facts: Facts) -> CatalogConfig:
    """The catalog as Kedro reads it: conf/base merged with conf/local (or `env`)."""
    config = facts.paths.catalog(facts.env)
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


# -- pipelines and git ---------------------------------------------------------------------------


@fact("how the pipelines are imported (`--import-mode`: auto, lite or full)")
def import_mode(facts: Facts) -> ImportMode:
    """How `pipelines` imports the project's code (see `kedro_plugin_layout.project.standins`)."""
    return ImportMode.AUTO


@fact("each stage's pipeline, built by its `create_pipeline()` (imports the stage's code; lite "
      "mode by default, without the project's dependencies)")
def pipelines(facts: Facts) -> dict[str, StagePipeline]:
    """Each manifest stage's pipeline, from its folder's `create_pipeline` (imports code)."""
    loaded = facts.paths.pipelines(ImportMode(facts.import_mode))
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
    """Split membership traced through memory and storage (`kedro_plugin_layout.check.provenance`):
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


@fact("whether git ignores the files of each data folder and of models/, and their .gitkeep "
      "(not asked of folders DVC keeps out of git)")
def gitignore(facts: Facts) -> dict[str, bool]:
    """Whether git ignores a file, a nested file and `.gitkeep` in each data/models folder."""
    return facts.paths.ignored(gitignore_probes(facts.manifest, facts.dvc))


__all__ = ["Facts", "fact", "fact_names", "fact_summaries"]
