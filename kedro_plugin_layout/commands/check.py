"""`kedro layout check`: audit a project against its layout manifest."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kedro_plugin_layout.check.engine import CheckReport, run
from kedro_plugin_layout.check.facts import Facts
from kedro_plugin_layout.check.registry import Registry, load_registry
from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.kinds import ImportMode


def check(
    project_root: Path | str,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    *,
    env: str | None = None,
    import_mode: ImportMode = ImportMode.AUTO,
    registry: Registry | None = None,
    facts: dict[str, Any] | None = None,
) -> CheckReport:
    """Check a Kedro project against its `[tool.kedro_layout]` manifest (or the default
    layout) and report every finding. The project's pipeline modules are imported only
    when a selected rule needs them, in lite mode unless `import_mode` says `full`.

    Raises LayoutError (exit 2) when the project or the options cannot be read.
    """
    root = Path(project_root)
    if not root.is_dir():
        raise ProjectReadError("no such folder; pass the path of a Kedro project", root)
    project = Facts(root, env=env, import_mode=ImportMode(import_mode), **(facts or {}))
    project.get("paths")  # not a Kedro project: say so before any rule runs
    return run(project, registry or load_registry(), select, ignore)
