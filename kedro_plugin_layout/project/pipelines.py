"""Each stage's pipeline, read by importing the stage folder as `find_pipelines()` does.

Importing a stage (rather than calling the project's pipeline registry) keeps each node
attributed to its stage, which the data-flow rules need. The import runs in lite mode
by default (see `standins`): the project's own modules and Kedro are imported, every
third-party module the project imports is an inert stand-in, so the graph is built in
milliseconds and without the project's dependencies. A stage whose graph lite mode
cannot build is imported for real (`auto`), and the report says so; `--import-mode`
forces either. Each node keeps the file, line and column of the `Node(...)` call that
made it, read from the calling frame while the stage is imported (`node_call_sites`).

Cached modules of another project with the same package name are dropped first so that
two checks in one process never mix projects.
"""

from __future__ import annotations

import functools
import importlib
import linecache
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.kinds import ImportMode, PipelineStatus
from kedro_plugin_layout.project.node_code import CodeReader
from kedro_plugin_layout.project.records import Location, Node, NodeCode, StagePipeline
from kedro_plugin_layout.project.standins import StandInUsed, stand_ins

if TYPE_CHECKING:  # the model holds this loader's results: only its type is needed here
    from kedro_plugin_layout.project.model import Project


@dataclass(frozen=True)
class LoadedPipelines:
    """Each stage's pipeline by folder, and what the report should say about reading them."""

    stages: dict[str, StagePipeline]
    notes: tuple[str, ...] = ()


def load_stage_pipelines(project: Project, folders: Iterable[str],
                         mode: ImportMode = ImportMode.AUTO) -> LoadedPipelines:
    """Every stage's pipeline; raises ProjectReadError when a stage cannot be read."""
    # Kedro (~0.1 s) loads only for checks that read pipelines, and for real before
    # any stand-in exists
    import kedro.pipeline  # noqa: F401

    folders = list(folders)
    _use_project(_source(project), project.package)
    reader = CodeReader(_source(project), project.root)
    if mode == ImportMode.FULL:
        stages = {folder: _load_or_raise(project, folder, ImportMode.FULL, reader=reader)
                  for folder in folders}
        note = "pipelines: imported with the project's dependencies (--import-mode full)"
        return LoadedPipelines(stages, (note,))
    lite: dict[str, StagePipeline] = {}
    failed: dict[str, Exception] = {}
    with stand_ins(_source(project), project.package) as finder:
        for folder in folders:
            try:
                lite[folder] = _load(project, folder, ImportMode.LITE, reader)
            except _StageError as exc:  # whatever the project's code raised under stand-ins
                failed[folder] = exc.error
    read = sum(stage.status == PipelineStatus.OK for stage in lite.values())
    notes = [_lite_note(read, finder.stood_in)] if read else []
    if failed and mode == ImportMode.LITE:
        folder, error = next(iter(failed.items()))
        raise ProjectReadError(
            f"lite mode cannot build this stage's graph ({_detail(error)}); run with "
            "--import-mode full where the project's dependencies are installed",
            project.stage_dir(folder),
        )
    for folder, error in failed.items():
        lite[folder] = _load_or_raise(project, folder, ImportMode.FULL, lite_error=error,
                                      reader=reader)
        notes.append(f"pipelines: stage {folder} imported with its dependencies: lite mode "
                     f"could not build its graph ({_detail(error)})")
    return LoadedPipelines({folder: lite[folder] for folder in folders}, tuple(notes))


def _lite_note(count: int, stood_in: set[str]) -> str:
    stages = f"{count} stage{'s' if count != 1 else ''}"
    if not stood_in:
        return f"pipelines: {stages} read in lite mode"
    return (f"pipelines: {stages} read in lite mode, with stand-ins for "
            f"{', '.join(sorted(stood_in))}")


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


def _load_or_raise(project: Project, folder: str, mode: ImportMode,
                   lite_error: Exception | None = None,
                   reader: CodeReader | None = None) -> StagePipeline:
    try:
        return _load(project, folder, mode, reader)
    except _StageError as exc:
        if lite_error is None or _detail(lite_error) == _detail(exc.error):
            cause = f"importing the project's code failed in {exc.what} ({_detail(exc.error)})"
        elif isinstance(lite_error, StandInUsed):
            # the graph needs a library's value: the real import is what had to work
            cause = (f"importing the project's code failed in {exc.what} "
                     f"({_detail(exc.error)}); lite mode failed too ({_detail(lite_error)})")
        else:
            # the project's own code raised under stand-ins: that is the error to fix, and
            # the real import usually fails only for a dependency this environment lacks
            cause = (f"the project's code raised {_detail(lite_error)} in {exc.what}; "
                     f"importing it with its dependencies failed too ({_detail(exc.error)})")
        raise ProjectReadError(
            f"{cause}: fix it, install the project's dependencies, or run `kedro layout "
            "check --ignore KL204,KL4` to skip the rules that read its pipelines",
            project.stage_dir(folder),
        ) from None


class _StageError(Exception):
    def __init__(self, what: str, error: Exception) -> None:
        super().__init__(what)
        self.what, self.error = what, error


def _load(project: Project, folder: str, mode: ImportMode,
          reader: CodeReader | None = None) -> StagePipeline:
    # Kedro (~0.1 s) loads only for checks that read pipelines
    from kedro.pipeline import Pipeline

    stage_dir = project.path(project.stage_dir(folder))
    here = Location(project.stage_dir(folder))
    if not (stage_dir / "__init__.py").is_file():
        return StagePipeline(folder, PipelineStatus.MISSING,
                             detail=f"{folder}/__init__.py is missing", location=here)
    module_name = f"{project.package}.pipelines.{folder}"
    with node_call_sites(project, stage_dir) as sites:
        create = _create_pipeline(module_name, stage_dir)
        if create is None:
            return StagePipeline(folder, PipelineStatus.NO_PIPELINE,
                                 detail="defines no create_pipeline()", location=here)
        here = _definition(project, create) or here
        try:
            pipeline = create()
        except Exception as exc:
            raise _StageError(f"{module_name}.create_pipeline()", exc) from None
    if not isinstance(pipeline, Pipeline):
        return StagePipeline(folder, PipelineStatus.NO_PIPELINE,
                             detail=f"create_pipeline() returned {type(pipeline).__name__}, "
                                    "not a kedro Pipeline", location=here)
    if not pipeline.nodes:
        return StagePipeline(folder, PipelineStatus.NO_PIPELINE,
                             detail="create_pipeline() returned an empty pipeline",
                             location=here)
    nodes = tuple(
        Node(
            name=node.name, stage=folder,
            inputs=tuple(i for i in node.inputs if not _is_parameter(i)),
            outputs=tuple(node.outputs), tags=frozenset(node.tags),
            namespace=node.namespace, location=sites.get(id(node), (None, here))[1],
            code=_read_code(reader or CodeReader(_source(project), project.root), node),
        )
        for node in pipeline.nodes
    )
    return StagePipeline(folder, PipelineStatus.OK, nodes, location=here, imported=mode)


def _create_pipeline(module_name: str, stage_dir: Path) -> Callable[[], Any] | None:
    for name in (module_name, f"{module_name}.pipeline"):
        if name.endswith(".pipeline") and not (stage_dir / "pipeline.py").is_file():
            return None
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == f"{module_name}.pipeline":
                return None
            raise _StageError(name, exc) from None
        except Exception as exc:
            raise _StageError(name, exc) from None
        create = getattr(module, "create_pipeline", None)
        if callable(create):
            return create
    return None


def _definition(project: Project, create: Callable[..., Any]) -> Location | None:
    code = getattr(create, "__code__", None)
    if code is None or not _inside(code.co_filename, _source(project)):
        return None
    return Location(project.relative(code.co_filename), code.co_firstlineno, 1)


def _detail(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())


def _read_code(reader: CodeReader, node: Any) -> NodeCode:
    """What the node's function does (`node_code`); a function it cannot read, for
    whatever reason, is judged by its stage's role, and the provenance fact says so."""
    inputs = getattr(node, "_inputs", None)
    try:
        return reader.read(node.func, inputs if isinstance(inputs, dict) else node.inputs)
    except Exception as exc:  # noqa: BLE001 - the graph stays readable without it
        return NodeCode(readable=False, note=f"reading it failed ({_detail(exc)})")


def _is_parameter(name: str) -> bool:
    return name == "parameters" or name.startswith("params:")


# -- where each node was made -----------------------------------------------------------------


@contextmanager
def node_call_sites(project: Project, stage_dir: Path
                    ) -> Iterator[dict[int, tuple[Any, Location]]]:
    """While active, each Kedro `Node` created records the project line that created it:
    the innermost calling frame in the stage folder, else in the source folder. A node
    Kedro copies (tags, namespaces) keeps the site of the node it was copied from.

    Kedro keeps no trace of where a node was defined, so the constructor is wrapped for the
    duration of the block only, and restored on exit. Yields {id(node): (node, location)}
    (the node is held so that its id stays unique).
    """
    # Kedro (~0.1 s) loads only for checks that read pipelines
    from kedro.pipeline.node import Node as KedroNode

    original = KedroNode.__init__
    copy_code = getattr(getattr(KedroNode, "_copy", None), "__code__", None)
    sites: dict[int, tuple[Any, Location]] = {}
    stage = str(stage_dir.resolve()) + os.sep
    source = str(_source(project).resolve()) + os.sep

    @functools.wraps(original)
    def recording_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        caller = sys._getframe(1)
        if caller.f_code is copy_code:
            copied = sites.get(id(caller.f_locals.get("self")))
            if copied is not None:
                sites[id(self)] = (self, copied[1])
            return
        frame = _innermost(caller, stage) or _innermost(caller, source)
        if frame is not None:
            sites[id(self)] = (self, _frame_location(project, frame))

    KedroNode.__init__ = recording_init  # type: ignore[method-assign]
    try:
        yield sites
    finally:
        KedroNode.__init__ = original  # type: ignore[method-assign]


def _source(project: Project) -> Path:
    """The source folder, absolute: what goes on sys.path for the project's package."""
    return project.path(project.source_dir)


def _innermost(frame: Any, folder: str) -> Any:
    while frame is not None:
        if frame.f_code.co_filename.startswith(folder):
            return frame
        frame = frame.f_back
    return None


def _inside(filename: str, folder: Path) -> bool:
    return filename.startswith(str(folder.resolve()) + os.sep)


def _frame_location(project: Project, frame: Any) -> Location:
    """The frame's file, and the line and 1-based column of the call it is making."""
    code = frame.f_code
    line, column = frame.f_lineno, None
    for index, position in enumerate(code.co_positions()):
        if index == frame.f_lasti // 2:
            line = position[0] or line
            column = position[2]
            break
    if column is not None:
        text = linecache.getline(code.co_filename, line)
        column = len(text.encode("utf-8")[:column].decode("utf-8", "ignore")) + 1
    return Location(project.relative(code.co_filename), line, column)


__all__ = ["LoadedPipelines", "load_stage_pipelines", "node_call_sites"]
