"""Each stage's pipeline, read by importing the stage folder as `find_pipelines()` does.

Importing a stage (rather than calling the project's pipeline registry) keeps each node
attributed to its stage, which the data-flow rules need. The project's code is imported
in-process, only when a rule asks for the `pipelines` fact. Cached modules of another
project with the same package name are dropped first so that two checks in one process
never mix projects.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from pathlib import Path

from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.facts import Node, StagePipeline
from kedro_plugin_layout.manifest import Stage


def load_stage_pipelines(
    source_dir: Path, package_name: str, stages: Iterable[Stage]
) -> dict[str, StagePipeline]:
    _use_project(source_dir, package_name)
    return {
        stage.folder: _load(source_dir / package_name / "pipelines", package_name, stage.folder)
        for stage in stages
    }


def _use_project(source_dir: Path, package_name: str) -> None:
    source = str(source_dir.resolve())
    for name, module in list(sys.modules.items()):
        if name == package_name or name.startswith(f"{package_name}."):
            file = getattr(module, "__file__", None) or ""
            if not file.startswith(source):
                del sys.modules[name]
    if source in sys.path:
        sys.path.remove(source)
    sys.path.insert(0, source)
    importlib.invalidate_caches()


def _load(pipelines_dir: Path, package_name: str, folder: str) -> StagePipeline:
    from kedro.pipeline import Pipeline

    stage_dir = pipelines_dir / folder
    if not (stage_dir / "__init__.py").is_file():
        return StagePipeline(folder, "missing", detail=f"{folder}/__init__.py is missing")
    module_name = f"{package_name}.pipelines.{folder}"
    create = _create_pipeline(module_name, stage_dir)
    if create is None:
        return StagePipeline(folder, "no_pipeline", detail="defines no create_pipeline()")
    try:
        pipeline = create()
    except Exception as exc:
        raise _code_error(f"{module_name}.create_pipeline()", stage_dir, exc) from None
    if not isinstance(pipeline, Pipeline):
        return StagePipeline(folder, "no_pipeline",
                             detail=f"create_pipeline() returned {type(pipeline).__name__}, "
                                    "not a kedro Pipeline")
    if not pipeline.nodes:
        return StagePipeline(folder, "no_pipeline", detail="create_pipeline() returned "
                                                           "an empty pipeline")
    nodes = tuple(
        Node(
            name=node.name, stage=folder,
            inputs=tuple(i for i in node.inputs if not _is_parameter(i)),
            outputs=tuple(node.outputs), tags=frozenset(node.tags),
        )
        for node in pipeline.nodes
    )
    return StagePipeline(folder, "ok", nodes)


def _create_pipeline(module_name: str, stage_dir: Path):  # type: ignore[no-untyped-def]
    for name in (module_name, f"{module_name}.pipeline"):
        if name.endswith(".pipeline") and not (stage_dir / "pipeline.py").is_file():
            return None
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == f"{module_name}.pipeline":
                return None
            raise _code_error(name, stage_dir, exc) from None
        except Exception as exc:
            raise _code_error(name, stage_dir, exc) from None
        create = getattr(module, "create_pipeline", None)
        if callable(create):
            return create
    return None


def _code_error(what: str, stage_dir: Path, exc: Exception) -> ProjectReadError:
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())
    return ProjectReadError(
        f"importing the project's code failed in {what} ({detail}); fix it, or run "
        "`kedro layout check --ignore KL204,KL4` to skip the rules that import it",
        stage_dir,
    )


def _is_parameter(name: str) -> bool:
    return name == "parameters" or name.startswith("params:")
