"""`kedro layout tree` as text (a numbered tree) or JSON."""

from __future__ import annotations

import json

from kedro_plugin_layout.commands.tree import Tree
from kedro_plugin_layout.kinds import PipelineStatus


def human_size(size: int) -> str:
    """Bytes as a person reads them: 980 B, 13.2 KiB, 1.1 MiB."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def render_json(tree: Tree) -> str:
    return json.dumps(tree.to_dict(), indent=2)


def render_text(tree: Tree) -> str:
    lines = [f"{tree.project}  ({tree.stage_style} stages; layout from {tree.manifest})",
             f"stages  {tree.pipelines_dir}/"]
    for i, stage in enumerate(tree.stages):
        last = i == len(tree.stages) - 1
        branch, pad = ("└── ", "    ") if last else ("├── ", "│   ")
        if stage.status == PipelineStatus.OK:
            count = f"{stage.nodes} node{'s' if stage.nodes != 1 else ''}"
        else:
            count = stage.detail or stage.status
        lines.append(f"{branch}{stage.folder}  [{stage.role}]  {count}")
        if stage.status == PipelineStatus.OK:
            lines.append(f"{pad}    reads:  {', '.join(stage.inputs) or '-'}")
            lines.append(f"{pad}    writes: {', '.join(stage.outputs) or '-'}")
    if not tree.stages:
        lines.append("└── (no stages: add one with `kedro layout add-stage NAME`)")
    lines.append("folders")
    for i, folder in enumerate(tree.folders):
        branch = "└── " if i == len(tree.folders) - 1 else "├── "
        if folder.exists:
            files = f"{folder.files} file{'s' if folder.files != 1 else ''}"
            what = f"{files}, {human_size(folder.bytes)}"
        else:
            what = "missing (`kedro layout fix` creates it)"
        lines.append(f"{branch}{folder.path}/  [{folder.role}]  {what}")
    return "\n".join(lines)
