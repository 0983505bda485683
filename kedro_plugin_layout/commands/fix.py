"""`kedro layout fix`: create the parts of the layout that are missing and safe to create.

Only new files and folders, lines appended to `.gitignore`, and the kedro-viz layer of
each catalog dataset in a data folder that has none (lines added to its entry): fix
never changes or deletes what a user wrote (`edits/missing_parts.py`). What it cannot
create safely is listed for the user instead. The parts are those `kedro layout check`
asks for, read from the manifest (the default layout when the project has none, which
fix then writes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kedro_plugin_layout.edits.manifest import pyproject_with_manifest
from kedro_plugin_layout.edits.missing_parts import plan_missing_parts
from kedro_plugin_layout.edits.plan import EditFile, Plan
from kedro_plugin_layout.project.config import CONF
from kedro_plugin_layout.project.model import load_project, reads_project


@dataclass(frozen=True)
class Fix:
    """The plan of what fix creates, and what it leaves for the user (one line each)."""

    plan: Plan
    left: tuple[str, ...]
    layered: tuple[str, ...] = ()  # the catalog files that get kedro-viz layers


@reads_project
def plan_fix(root: Path) -> Fix:
    """Plans the missing parts; raises LayoutError if the project cannot be read."""
    project = load_project(root)
    plan = Plan()
    if not project.has_manifest:
        text = project.path("pyproject.toml").read_text(encoding="utf-8")
        plan.edit_file(project.root, "pyproject.toml",
                       pyproject_with_manifest(text, project.manifest))
    left = plan_missing_parts(plan, project)
    layered = tuple(op.path for op in plan.operations
                    if isinstance(op, EditFile) and op.path.startswith(f"{CONF}/"))
    return Fix(plan, tuple(left), layered)


def fix(root: Path) -> Fix:
    """Plans and applies fix; the project is unchanged if anything fails."""
    result = plan_fix(root)
    result.plan.apply(Path(root))
    return result
