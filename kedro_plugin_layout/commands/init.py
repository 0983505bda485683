"""`kedro layout init`: adopt the layout in an existing Kedro project, renaming nothing.

The manifest is inferred from what is there, not guessed from names alone:

- the data folders from the disk, the catalog, DVC and Kedro's own data folders, with
  roles from their names or from what the split node writes (see `project/data_folders.py`);
  Kedro's `data/06_models` stays a data folder and becomes the manifest's `models` too;
- the stages (the packages under `pipelines/`) in the order their pipelines pass data to
  each other, ties broken by the numbers their folders carry, then by name (see
  `project/stage_graph.py`); numbered only if every stage folder is;
- roles of stages from their names.

Then init writes the manifest and creates the missing parts as `fix` does (kedro-viz
layers of the catalog's datasets included), never a file that would hide a module from
`import` (a `utils/` package next to `utils.py`). It builds the stages' pipelines before
and after writing (lite mode) and undoes everything if one that built no longer does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kedro_ml_starter.manifest import (
    IDENTIFIER_RE,
    NUMBERED_RE,
    Manifest,
    Stage,
    default_manifest,
    folder_name,
    folder_number,
)
from kedro_plugin_layout.edits.adoption_check import (
    PipelineProbe,
    check_unbroken,
    probe_pipelines,
)
from kedro_plugin_layout.edits.manifest import pyproject_with_manifest
from kedro_plugin_layout.edits.missing_parts import plan_missing_parts
from kedro_plugin_layout.edits.plan import Plan
from kedro_plugin_layout.edits.stages import guess_role
from kedro_plugin_layout.errors import ManifestError, ProjectReadError
from kedro_plugin_layout.kinds import StageStyle
from kedro_plugin_layout.project.data_folders import InferredData, infer_data
from kedro_plugin_layout.project.model import Project, load_project, reads_project
from kedro_plugin_layout.project.model_datasets import is_model_dataset
from kedro_plugin_layout.project.stage_graph import StageGraph, describe_cycle


@dataclass(frozen=True)
class Init:
    """The inferred manifest, the plan that writes it, what is left for the user, and the
    check to run once the plan is applied (it raises when adoption broke a pipeline)."""

    manifest: Manifest
    plan: Plan
    left: tuple[str, ...]
    verify: Callable[[], None] | None = field(default=None, compare=False)
    seen_in: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)


@reads_project
def plan_init(root: Path, stage_style: str | None = None) -> Init:
    """Infers the manifest and plans writing it; refuses if the project already has one."""
    project = load_project(root)
    if project.has_manifest:
        raise ManifestError(
            "already has [tool.kedro_layout]; use `kedro layout fix` to create missing parts",
            "pyproject.toml",
        )
    folders = _stage_folders(project.root / project.pipelines_dir)
    before = probe_pipelines(project, folders)
    manifest, left, data = infer_manifest(project, stage_style, before)
    plan = Plan()
    text = project.path("pyproject.toml").read_text(encoding="utf-8")
    plan.edit_file(project.root, "pyproject.toml", pyproject_with_manifest(text, manifest))
    left += plan_missing_parts(plan, project.with_manifest(manifest))

    def verify() -> None:
        check_unbroken(before, probe_pipelines(project, folders))

    return Init(manifest, plan, tuple(left), verify, dict(data.seen_in) if data else {})


def infer_manifest(project: Project, stage_style: str | None = None,
                   pipelines: PipelineProbe | None = None,
                   ) -> tuple[Manifest, list[str], InferredData | None]:
    """The manifest that describes the project as it is (defaults where nothing exists),
    what init could not settle (one line each), and where the data folders were seen."""
    default = default_manifest()
    folders = _stage_folders(project.root / project.pipelines_dir)
    if pipelines is None:
        pipelines = probe_pipelines(project, folders)
    numbered = bool(folders) and all(NUMBERED_RE.match(f) for f in folders)
    style = StageStyle(stage_style or (StageStyle.NUMBERED if numbered or not folders
                                       else StageStyle.PLAIN))
    if style == StageStyle.NUMBERED and folders and not numbered:
        raise ManifestError(
            "stage_style numbered needs every pipeline folder numbered (01_name); "
            "leave out --stage-style to get plain",
            "pyproject.toml",
        )
    data, left = _data(project, default, pipelines)
    ordered, order_left = _ordered(folders, pipelines, numbered)
    stages = tuple(Stage(f, guess_role(folder_name(f))) for f in ordered)
    manifest = Manifest(stage_style=style, data=data.folders if data else default.data,
                        stages=stages, models=data.models if data else default.models)
    return manifest, left + order_left, data


def _data(project: Project, default: Manifest, pipelines: PipelineProbe,
          ) -> tuple[InferredData | None, list[str]]:
    """The data folders seen anywhere, or None when there is none (the default layout)."""
    data_root = default.data_root
    left = []
    try:
        entries = project.datasets()
    except ProjectReadError as exc:
        entries = {}
        left.append(f"the catalog cannot be read ({exc.message}): data folders are inferred "
                    "without it; fix it and check [[tool.kedro_layout.data]]")
    dvc = project.dvc()
    left += [f"{path} cannot be read as YAML: the data it tracks is not known"
             for path in dvc.unreadable]
    on_disk = [name for name in project.files.subdirs(data_root) if not name.startswith(".")]
    data = infer_data(data_root, on_disk, entries, dvc, pipelines.nodes, is_model_dataset,
                      default.models)
    return (data if data.folders else None), left


def _stage_folders(pipelines_dir: Path) -> list[str]:
    """Folders under pipelines/ that are Python packages or define a pipeline.py."""
    if not pipelines_dir.is_dir():
        return []
    return sorted(
        p.name for p in pipelines_dir.iterdir()
        if p.is_dir() and (NUMBERED_RE.match(p.name) or IDENTIFIER_RE.match(p.name))
        and ((p / "__init__.py").is_file() or (p / "pipeline.py").is_file())
    )


def _ordered(folders: list[str], pipelines: PipelineProbe, numbered: bool,
             ) -> tuple[list[str], list[str]]:
    """Numbered folders by number (their names say the order, and KL401 reports a stage
    that reads from a later one); the others in the order their data flows."""
    if numbered:
        return sorted(folders, key=lambda f: (folder_number(f) or 0, f)), []
    order = StageGraph.from_nodes(pipelines.nodes).order(folders)
    left = [
        f"stages {' and '.join(sorted({e.upstream for e in cycle}))} depend on each other "
        f"({describe_cycle(cycle)}): no order runs each stage after those it reads from; "
        "move a node so that the data flows one way" for cycle in order.cycles
    ]
    left += [f"stage {folder}: its pipeline cannot be read in lite mode ({why}), so its "
             "place in [[tool.kedro_layout.stages]] is a guess: check it"
             for folder, why in sorted(pipelines.failed.items()) if folder in folders]
    return list(order.stages), left
