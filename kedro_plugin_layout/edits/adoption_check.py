"""What `kedro layout init` reads of a project's pipelines, and its proof that it broke none.

Before it writes, init builds every stage's pipeline in lite mode (the project's own
modules, stand-ins for its dependencies: see `project/standins.py`); it orders the stages
by the datasets they pass each other and reads the split from the same graph. After it wrote,
it builds them again: a stage whose pipeline built before and fails, or changes, after is
what a `utils/` package next to a `utils.py` did to real projects (issue 27), and the plan
is undone with one line saying which stage and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.kinds import ImportMode, PipelineStatus
from kedro_plugin_layout.project.model import Project
from kedro_plugin_layout.project.pipelines import load_stage_pipelines
from kedro_plugin_layout.project.records import Node

_REPORT = "please report this to kedro-ml-structure with the project's layout"


class AdoptionBrokeProject(Exception):
    """Raised when a stage's pipeline builds before adoption and not after."""


@dataclass(frozen=True)
class PipelineProbe:
    """The stages lite mode builds (their nodes) and those it cannot (why, one line)."""

    built: Mapping[str, tuple[Node, ...]]
    failed: Mapping[str, str]

    @property
    def nodes(self) -> list[Node]:
        return [node for nodes in self.built.values() for node in nodes]


def probe_pipelines(project: Project, folders: Iterable[str]) -> PipelineProbe:
    """Builds each stage's pipeline in lite mode, one stage at a time, so that one stage
    that cannot be built does not hide the others. Each call imports the stages afresh
    (not `Project.pipelines`, read once): the second call sees what the plan wrote."""
    built: dict[str, tuple[Node, ...]] = {}
    failed: dict[str, str] = {}
    for folder in folders:
        try:
            stage = load_stage_pipelines(project, [folder], ImportMode.LITE).stages[folder]
        except ProjectReadError as exc:
            failed[folder] = _reason(exc.message)
            continue
        if stage.status == PipelineStatus.OK:
            built[folder] = stage.nodes
        else:
            failed[folder] = stage.detail
    return PipelineProbe(built, failed)


def check_unbroken(before: PipelineProbe, after: PipelineProbe) -> None:
    """Raises AdoptionBrokeProject when a stage built before and not after, or now
    builds other nodes."""
    for folder, nodes in before.built.items():
        if folder not in after.built:
            why = after.failed.get(folder, "it is gone")
            raise AdoptionBrokeProject(
                f"adopting the layout would break stage {folder}'s pipeline ({why}), so init "
                f"undid it; {_REPORT}"
            )
        if _shape(after.built[folder]) != _shape(nodes):
            raise AdoptionBrokeProject(
                f"adopting the layout would change the nodes of stage {folder}'s pipeline, so "
                f"init undid it; {_REPORT}"
            )


def _shape(nodes: tuple[Node, ...]) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return sorted((node.name, node.inputs, node.outputs) for node in nodes)


def _reason(message: str) -> str:
    """`lite mode cannot build this stage's graph (ImportError: …); run with …` -> the
    part in parentheses."""
    start, end = message.find("("), message.rfind(")")
    return message[start + 1:end] if 0 <= start < end else message


__all__ = ["AdoptionBrokeProject", "PipelineProbe", "check_unbroken", "probe_pipelines"]
