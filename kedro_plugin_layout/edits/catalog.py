"""Adding kedro-viz layers to a catalog file without disturbing the user's text.

The file is parsed (PyYAML's node graph, as `project/config.py` reads it) only to find where
each entry's path ends and how the entry is indented; the layer goes in as new lines
there (at the end of the entry when it has no path), in block style, so comments, blank
lines, quoting and key order stay exactly as they were. An entry that already has
`metadata:` or `metadata: kedro-viz:` gets only the missing levels. The result must
parse back to the same catalog plus the layers, or the file is left for the user: so are
flow-style mappings (`{type: ..., filepath: ...}`), a `metadata` that is not a mapping,
anchors shared with other entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LAYER_PATH = ("metadata", "kedro-viz", "layer")
PATH_KEYS = ("filepath", "path")


@dataclass(frozen=True)
class LayeredText:
    """A catalog file's new text, and the entries that could not be edited safely."""

    text: str
    skipped: tuple[str, ...]


def with_layers(text: str, layers: Mapping[str, str]) -> LayeredText:
    """`text` with `metadata: kedro-viz: layer: <layer>` added to each named top-level entry."""
    import yaml

    from kedro_plugin_layout.project.config import yaml_loader

    root = yaml.compose(text, Loader=yaml_loader())
    if not isinstance(root, yaml.MappingNode):
        return LayeredText(text, tuple(layers))
    entries = {key.value: (key, value) for key, value in root.value
               if isinstance(key, yaml.ScalarNode)}
    lines = text.splitlines(keepends=True)
    inserts: dict[int, list[str]] = {}
    skipped = []
    for name, layer in layers.items():
        insert = _insertion(*entries[name], layer) if name in entries else None
        if insert is None:
            skipped.append(name)
            continue
        at, new_lines = insert
        inserts.setdefault(at, []).extend(new_lines)
    out: list[str] = []
    for index, line in enumerate([*lines, ""]):
        if index in inserts:
            if out and not out[-1].endswith("\n"):
                out[-1] += "\n"
            out.extend(inserts[index])
        out.append(line)
    new_text = "".join(out)
    edited = {name: layer for name, layer in layers.items() if name not in skipped}
    if not _adds_exactly(text, new_text, edited):
        return LayeredText(text, tuple(layers))
    return LayeredText(new_text, tuple(skipped))


def _insertion(key: Any, entry: Any, layer: str) -> tuple[int, list[str]] | None:
    """(0-based line to insert before, the lines) for one entry, or None if unsafe."""
    import yaml

    node, parent_column, missing = entry, key.start_mark.column, list(LAYER_PATH)
    while missing:
        if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
            return None
        found = next(((k, v) for k, v in node.value
                      if isinstance(k, yaml.ScalarNode) and k.value == missing[0]), None)
        if found is None:
            break
        if missing[0] == "layer":  # a layer is already set: nothing to add
            return None
        parent_column, node = found[0].start_mark.column, found[1]
        missing.pop(0)
    indent = node.value[0][0].start_mark.column
    step = max(2, indent - parent_column)
    lines = []
    for depth, name in enumerate(missing):
        value = f" {_scalar(layer)}" if name == "layer" else ""
        lines.append(f"{' ' * (indent + depth * step)}{name}:{value}\n")
    # A new `metadata:` goes right after the path it describes (as the starter writes
    # it), which also keeps it off the entry's last line, where users append entries.
    after = next((v for k, v in node.value if missing[0] == LAYER_PATH[0]
                  and isinstance(k, yaml.ScalarNode) and k.value in PATH_KEYS), node)
    return _after_last_value(after), lines


def _after_last_value(node: Any) -> int:
    """The line after the last value of a block collection (comments after it stay after)."""
    import yaml

    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style \
            and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    end = node.end_mark
    return end.line if end.column == 0 else end.line + 1


def _scalar(value: str) -> str:
    """The layer as a YAML scalar that reads back as the same string."""
    import yaml

    dumped = yaml.safe_dump(value, default_flow_style=True, width=1 << 16)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _adds_exactly(old: str, new: str, layers: Mapping[str, str]) -> bool:
    """The new text reads as the old catalog with exactly these layers added."""
    import yaml

    from kedro_plugin_layout.project.config import yaml_loader

    try:
        before = yaml.load(old, Loader=yaml_loader()) or {}
        after = yaml.load(new, Loader=yaml_loader()) or {}
    except yaml.YAMLError:
        return False
    expected = {name: _with_layer(config, layers[name]) if name in layers else config
                for name, config in before.items()}
    return after == expected


def _with_layer(config: Any, layer: str) -> Any:
    if not isinstance(config, Mapping):
        return config
    metadata = dict(config.get("metadata") or {})
    viz = dict(metadata.get("kedro-viz") or {})
    return {**config, "metadata": {**metadata, "kedro-viz": {**viz, "layer": layer}}}


__all__ = ["LAYER_PATH", "LayeredText", "with_layers"]
