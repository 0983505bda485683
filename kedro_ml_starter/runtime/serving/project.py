"""The Kedro project being served: its catalog and parameters, and its serving stage.

The server opens the project as `kedro run` does (same conf/, same environment, the
project's hooks), so it reads the files the catalog names. The serving stage is the
one whose role is `serving` in `[tool.kedro_layout]`, the layout manifest the starter
writes; a project without a manifest has the default layout.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kedro_ml_starter.errors import LayoutError, UserError
from kedro_ml_starter.kinds import StageRole
from kedro_ml_starter.manifest import Manifest, Stage, load_manifest


class NoServingStage(UserError):
    """Raised when a Kedro project has no serving stage with an app to serve."""


@dataclass(frozen=True)
class ServingStage:
    package: str  # the project's Python package
    folder: str   # the stage folder under <package>/pipelines
    app_file: Path

    @property
    def app_module(self) -> str:
        return f"{self.package}.pipelines.{self.folder}.app"


def serving_stage(project_path: Path, package: str, source_dir: Path) -> ServingStage:
    """The project's serving stage, or NoServingStage in one line saying what is missing."""
    stage, _, where = _manifest_stage(project_path)
    app_file = source_dir / package / "pipelines" / stage.folder / "app.py"
    if not app_file.is_file():
        shown = app_file.relative_to(project_path) if app_file.is_relative_to(project_path) \
            else app_file
        raise NoServingStage(f"no serving app: {shown} does not exist (the serving stage "
                             f"`{stage.folder}` comes from {where})")
    return ServingStage(package, stage.folder, app_file)


def stages_before_serving(project_path: Path) -> str:
    """What `kedro run` must have run before there is a model to serve: "stages 01-04"."""
    try:
        stage, manifest, _ = _manifest_stage(project_path)
    except NoServingStage:
        return "the training stages"
    return _stages_text(manifest.stages[:manifest.stages.index(stage)])


def _manifest_stage(project_path: Path) -> tuple[Stage, Manifest, str]:
    try:
        manifest = load_manifest(project_path)
    except LayoutError as error:
        raise NoServingStage(f"cannot find the serving stage: {error}") from None
    stage = next((s for s in manifest.stages if s.role == StageRole.SERVING), None)
    where = "[tool.kedro_layout] in pyproject.toml" if manifest.source == "pyproject" else (
        "the default layout (this project's pyproject.toml has no [tool.kedro_layout])")
    if stage is None:
        raise NoServingStage(f"no stage has the role `serving` in {where}: "
                             "`kedro serve` serves that stage's app.py")
    return stage, manifest, where


def _stages_text(stages: Sequence[Stage]) -> str:
    if not stages:
        return "the stages"
    first, last = stages[0], stages[-1]
    if first.number is not None and last.number is not None:
        return f"stages {first.number:02d}-{last.number:02d}"
    return f"stages {first.folder} to {last.folder}"


def load_app_factory(module_name: str, app_file: Path) -> Any:
    """The `create_app` of the serving stage's app.py, loaded from its file.

    Not through the stage package: its __init__ imports the batch pipeline, whose nodes
    would bring scikit-learn into a server that scores ONNX without it. app.py imports
    what it needs itself (the request model comes from the data contract).
    """
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, app_file)
        if spec is None or spec.loader is None:
            raise NoServingStage(f"cannot load {app_file}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name].create_app


def project_root(project_path: Path | None) -> Path:
    """`project_path`, or the Kedro project around the working directory."""
    # Kedro loads when a project is looked for, not when this module is imported
    from kedro.utils import find_kedro_project

    if project_path is not None:
        return Path(project_path).resolve()
    found = find_kedro_project(Path.cwd())
    if found is None:
        raise RuntimeError(f"no Kedro project at or above {Path.cwd()}: start the server "
                           "with `kedro serve` from the project folder")
    return Path(found)


def open_project(project_path: Path, env: str | None = None, *,
                 hooks: bool = True) -> tuple[Any, dict[str, Any]]:
    """The project's catalog and parameters, for `env` (default: KEDRO_ENV, then local).

    With `hooks`, the project is opened as `kedro run` opens it: a Kedro session, whose
    hooks (the project's settings.HOOKS and plugins') run. Without, the same configuration
    loader and catalog, and no hook: the ONNX server runs no pipeline and no project code,
    and a Spark project's hook would start a JVM it does not need.
    """
    # Kedro's session loads when a project is opened, not when this module is imported
    from kedro.framework.hooks.manager import _create_hook_manager
    from kedro.framework.project import settings
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    metadata = bootstrap_project(project_path)
    if hooks:
        session = KedroSession.create(project_path=project_path, env=env, save_on_close=False)
        with session:  # `with ... as` would type it as AbstractSession: no load_context
            context = session.load_context()
    else:
        env = env or os.environ.get("KEDRO_ENV")
        loader = settings.CONFIG_LOADER_CLASS(
            conf_source=str(project_path / settings.CONF_SOURCE), env=env,
            **settings.CONFIG_LOADER_ARGS)
        context = settings.CONTEXT_CLASS(
            package_name=metadata.package_name, project_path=project_path,
            config_loader=loader, env=env, hook_manager=_create_hook_manager())
    # Kedro checks parameters against the type hints of the pipelines it is told to run
    # (all of them by default), importing every stage's nodes: the ONNX server would
    # import scikit-learn. It runs no pipeline, so it asks for none (as `kedro run`
    # narrows this to the pipelines it runs).
    context._pipelines_to_validate = []
    return context.catalog, context.params
