"""`kedro layout init`: adopt the layout in an existing Kedro project, renaming nothing.

The manifest is inferred from what is there: the folders under `data/` (with roles
guessed from their names), the pipelines under `pipelines/` (ordered by number, else
by the role their names suggest), and the stage style (numbered only if every stage
folder is). Kedro's default data layout keeps models in `data/06_models`: that folder
stays a data folder and becomes the manifest's `models` folder too, so the catalog's
model paths are already where the layout wants them. Then init writes the manifest and
creates the missing parts as `fix` does, kedro-viz layers of the catalog's datasets included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kedro_ml_starter.manifest import (
    IDENTIFIER_RE,
    NUMBERED_RE,
    STAGE_ROLES,
    DataFolder,
    Manifest,
    Stage,
    default_manifest,
    folder_name,
    folder_number,
)
from kedro_plugin_layout.edits.manifest import pyproject_with_manifest
from kedro_plugin_layout.edits.missing_parts import plan_missing_parts
from kedro_plugin_layout.edits.plan import Plan
from kedro_plugin_layout.edits.stages import guess_role
from kedro_plugin_layout.errors import ManifestError
from kedro_plugin_layout.kinds import DataRole, StageStyle
from kedro_plugin_layout.project.model import Project, load_project, reads_project

_DATA_ROLE_HINTS = (
    ("raw", DataRole.RAW), ("train", DataRole.TRAIN), ("eval", DataRole.EVAL),
    ("valid", DataRole.EVAL), ("test", DataRole.TEST), ("report", DataRole.REPORTING),
    ("scor", DataRole.SCORING),
)
_MODELS_RE = re.compile(r"^(\d{2}_)?models?$")


@dataclass(frozen=True)
class Init:
    """The inferred manifest, the plan that writes it, and what is left for the user."""

    manifest: Manifest
    plan: Plan
    left: tuple[str, ...]


@reads_project
def plan_init(root: Path, stage_style: str | None = None) -> Init:
    """Infers the manifest and plans writing it; refuses if the project already has one."""
    project = load_project(root)
    if project.has_manifest:
        raise ManifestError(
            "already has [tool.kedro_layout]; use `kedro layout fix` to create missing parts",
            "pyproject.toml",
        )
    manifest = infer_manifest(project, stage_style)
    plan = Plan()
    text = (project.root / "pyproject.toml").read_text(encoding="utf-8")
    plan.edit_file(project.root, "pyproject.toml", pyproject_with_manifest(text, manifest))
    left = plan_missing_parts(plan, project.with_manifest(manifest))
    return Init(manifest, plan, tuple(left))


def infer_manifest(project: Project, stage_style: str | None = None) -> Manifest:
    """The manifest that describes the project as it is (defaults where nothing exists)."""
    default = default_manifest()
    data = _data_folders(project.root / default.data_root) or default.data
    models = next(
        (f"{default.data_root}/{d.folder}" for d in data if _MODELS_RE.match(d.folder)),
        default.models,
    )
    folders = _stage_folders(project.root / project.pipelines_dir)
    numbered = bool(folders) and all(NUMBERED_RE.match(f) for f in folders)
    style = StageStyle(stage_style or (StageStyle.NUMBERED if numbered or not folders
                                       else StageStyle.PLAIN))
    if style == StageStyle.NUMBERED and folders and not numbered:
        raise ManifestError(
            "stage_style numbered needs every pipeline folder numbered (01_name); "
            "leave out --stage-style to get plain",
            "pyproject.toml",
        )
    stages = tuple(Stage(f, guess_role(folder_name(f))) for f in _ordered(folders))
    return Manifest(stage_style=style, data=data, stages=stages, models=models)


def _data_folders(data_root: Path) -> tuple[DataFolder, ...]:
    if not data_root.is_dir():
        return ()
    names = sorted(p.name for p in data_root.iterdir()
                   if p.is_dir() and not p.name.startswith("."))
    return tuple(DataFolder(name, _data_role(name)) for name in names)


def _data_role(folder: str) -> DataRole:
    name = folder_name(folder)
    return next((role for hint, role in _DATA_ROLE_HINTS if hint in name), DataRole.OTHER)


def _stage_folders(pipelines_dir: Path) -> list[str]:
    """Folders under pipelines/ that are Python packages or define a pipeline.py."""
    if not pipelines_dir.is_dir():
        return []
    return [
        p.name for p in pipelines_dir.iterdir()
        if p.is_dir() and (NUMBERED_RE.match(p.name) or IDENTIFIER_RE.match(p.name))
        and ((p / "__init__.py").is_file() or (p / "pipeline.py").is_file())
    ]


def _ordered(folders: list[str]) -> list[str]:
    """Numbered folders by number; others by the role their name suggests, then by name."""
    def key(folder: str) -> tuple[int, int, str]:
        number = folder_number(folder)
        rank = STAGE_ROLES.index(guess_role(folder_name(folder)))
        return (100 if number is None else number, rank, folder)

    return sorted(folders, key=key)

