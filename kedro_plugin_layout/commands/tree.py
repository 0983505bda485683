"""`kedro layout tree`: the project's layout as a numbered tree.

Stages in manifest order with their node counts and what they read and write (read as
the check reads them: in lite mode, without the project's dependencies), then the data
folders and the models folder with their file counts and sizes (rendered by
`render/layout_tree.py`).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from kedro_plugin_layout.kinds import PipelineStatus
from kedro_plugin_layout.project.model import load_project, reads_project
from kedro_plugin_layout.project.records import MODEL_ROLE, StagePipeline


@dataclass(frozen=True)
class StageInfo:
    folder: str
    role: str
    status: PipelineStatus
    nodes: int
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    detail: str = ""


@dataclass(frozen=True)
class FolderInfo:
    path: str
    role: str
    exists: bool
    files: int
    bytes: int


@dataclass(frozen=True)
class Tree:
    project: str
    stage_style: str
    manifest: str
    pipelines_dir: str
    stages: tuple[StageInfo, ...]
    folders: tuple[FolderInfo, ...]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@reads_project
def layout_tree(root: Path) -> Tree:
    """Reads the layout and each stage's pipeline (importing the project's code)."""
    project = load_project(root)
    manifest = project.manifest
    pipelines = project.pipelines().stages
    stages = tuple(_stage_info(s.folder, s.role, pipelines[s.folder]) for s in manifest.stages)
    folders = [
        _folder_info(project.root, path, f"{d.role}, models" if path == manifest.models else d.role)
        for d in manifest.data
        for path in [f"{manifest.data_root}/{d.folder}"]
    ]
    if not any(f.path == manifest.models for f in folders):
        folders.append(_folder_info(project.root, manifest.models, MODEL_ROLE))
    return Tree(
        project=project.root.name,
        stage_style=manifest.stage_style,
        manifest="pyproject.toml" if project.has_manifest else "default layout (no manifest)",
        pipelines_dir=project.pipelines_dir,
        stages=stages,
        folders=tuple(folders),
    )


def _stage_info(folder: str, role: str, pipeline: StagePipeline) -> StageInfo:
    nodes = pipeline.nodes
    produced = {out for node in nodes for out in node.outputs}
    inputs = sorted({i for node in nodes for i in node.inputs} - produced)
    outputs = sorted(produced)
    return StageInfo(folder, role, pipeline.status, len(nodes), tuple(inputs), tuple(outputs),
                     pipeline.detail)


def _folder_info(root: Path, relative: str, role: str) -> FolderInfo:
    folder = root / relative
    count = size = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            if name == ".gitkeep":
                continue
            count += 1
            try:
                size += os.stat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue
    return FolderInfo(relative, role, folder.is_dir(), count, size)
