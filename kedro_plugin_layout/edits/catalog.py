"""Editing Kedro config files (catalog, parameters) without disturbing the user's text.

Each file is parsed (PyYAML's node graph, as `project/config.py` reads it) only to find
where an entry's values sit and how they are indented; the change goes in as text there,
so comments, blank lines, quoting, key order and the other entries stay exactly as they
were. The result must parse back to the old config with exactly the change made, or the
edit is not made as text. Two edits:

- `with_layers` (`kedro layout fix`) adds `metadata: kedro-viz: layer:` to catalog
  entries: new lines in block style after the entry's path (at its end when it has none);
  an entry that already has `metadata:` or `metadata: kedro-viz:` gets only the missing
  levels. Flow-style mappings (`{type: ..., filepath: ...}`), a `metadata` that is not a
  mapping, anchors shared with other entries: the file is left for the user.
- `change_entries` (`kedro layout use-data`) sets or removes keys of a top-level entry: a
  one-line scalar is replaced in place (a comment after it stays), a block (`load_args:`
  and what it holds) is replaced by new lines at its indentation, a new key goes after
  the entry's last value, a removed key's lines go. (A round-trip YAML library would drop
  the comment that follows a removed key, which is where the next entry's comment sits.)
  When that does not read back right the whole entry is rewritten in block style; if even
  that does not (anchors shared with other entries, say), `UnsafeEditError` asks for a
  hand edit.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from kedro_plugin_layout.errors import ProjectReadError, UnsafeEditError
from kedro_plugin_layout.project.config import yaml_loader

LAYER_PATH = ("metadata", "kedro-viz", "layer")
PATH_KEYS = ("filepath", "path")


@dataclass(frozen=True)
class LayeredText:
    """A catalog file's new text, and the entries that could not be edited safely."""

    text: str
    skipped: tuple[str, ...]


def with_layers(text: str, layers: Mapping[str, str]) -> LayeredText:
    """`text` with `metadata: kedro-viz: layer: <layer>` added to each named top-level entry."""
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
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style \
            and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    end = node.end_mark
    return end.line if end.column == 0 else end.line + 1


def _scalar(value: Any) -> str:
    """A value as an inline YAML scalar that reads back as the same value."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                            width=1 << 16)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _adds_exactly(old: str, new: str, layers: Mapping[str, str]) -> bool:
    """The new text reads as the old catalog with exactly these layers added."""
    before, after = _load(old), _load(new)
    if before is None or after is None:
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




# -- changing keys of an entry (use-data) ---------------------------------------------------

REMOVE = object()  # a change's value that removes the key


@dataclass(frozen=True)
class EntryChange:
    """New values for keys of one top-level entry (`REMOVE` removes the key)."""

    name: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def applied_to(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The entry's configuration after the change."""
        out = dict(config)
        for key, value in self.values.items():
            if value is REMOVE:
                out.pop(key, None)
            else:
                out[key] = value
        return out


def change_entries(text: str, changes: list[EntryChange], where: str) -> str:
    """`text` (the config file `where`) with each change made; see the module docstring."""
    for change in changes:
        expected = _expected(text, change, where)
        edited = text
        for key, value in change.values.items():
            edited = _change_key(edited, change.name, key, value)
        if _load(edited) != expected:
            edited = _rewrite_entry(text, change.name, expected[change.name])
        if _load(edited) != expected:
            raise UnsafeEditError(f"cannot change `{change.name}` in {where} without disturbing "
                                  "other entries (an anchor or a merge key?); set it by hand as "
                                  "the plan shows, then run again")
        text = edited
    return text


def _expected(text: str, change: EntryChange, where: str) -> dict[str, Any]:
    before = _load(text)
    if before is None:
        raise ProjectReadError(f"{where} is not valid YAML; fix it and run again")
    if not isinstance(before.get(change.name), Mapping):
        raise ProjectReadError(f"{where} has no `{change.name}:` entry to change; add it back "
                               "(see the starter's conf/base) and run again")
    before[change.name] = change.applied_to(before[change.name])
    return before


def _load(text: str) -> dict[str, Any] | None:
    """A config file's entries ({} for an empty file); None if it is not a YAML mapping."""
    try:
        data = yaml.load(text, Loader=yaml_loader())
    except yaml.YAMLError:
        return None
    if data is None:
        return {}
    return data if isinstance(data, dict) else None


def _entry(text: str, name: str) -> tuple[Any, Any]:
    """The key node and value node of a top-level entry."""
    root = yaml.compose(text, Loader=yaml_loader())
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name:
            return key, value
    raise KeyError(name)


def _change_key(text: str, name: str, key: str, value: Any) -> str:
    """One key of one entry changed as text; unchanged text when it cannot be done here
    (the check after all changes then falls back to rewriting the entry)."""
    _, entry = _entry(text, name)
    if not isinstance(entry, yaml.MappingNode) or entry.flow_style or not entry.value:
        return text
    lines = text.splitlines(keepends=True)
    found = next(((k, v) for k, v in entry.value
                  if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    indent = entry.value[0][0].start_mark.column
    if found is None:
        if value is REMOVE:
            return text
        at = _after_last_value(entry)
        return "".join(lines[:at] + _block(key, value, indent) + lines[at:])
    old_key, old_value = found
    if value is REMOVE:
        return "".join(lines[:old_key.start_mark.line] + lines[_after_last_value(old_value):])
    one_line = old_value.start_mark.line == old_value.end_mark.line
    if isinstance(old_value, yaml.ScalarNode) and one_line and not isinstance(value, Mapping):
        line = lines[old_value.start_mark.line]
        start, end = old_value.start_mark.column, old_value.end_mark.column
        lines[old_value.start_mark.line] = line[:start] + _scalar(value) + line[end:]
        return "".join(lines)
    first = old_key.start_mark.line
    return "".join(lines[:first] + _block(key, value, indent)
                   + lines[_after_last_value(old_value):])


def _rewrite_entry(text: str, name: str, config: Mapping[str, Any]) -> str:
    """The whole entry replaced by `config` in block style (its inner comments are lost)."""
    key, entry = _entry(text, name)
    lines = text.splitlines(keepends=True)
    body = "".join(_block(name, dict(config), 0))
    return "".join(lines[:key.start_mark.line] + [body] + lines[_after_last_value(entry):])


def _block(key: str, value: Any, indent: int) -> list[str]:
    """`key: value` in block style, each line indented by `indent`."""
    dumped = yaml.safe_dump({key: value}, sort_keys=False, default_flow_style=False,
                            allow_unicode=True, width=1 << 16)
    return [" " * indent + line for line in dumped.splitlines(keepends=True)]


__all__ = ["LAYER_PATH", "REMOVE", "EntryChange", "LayeredText", "change_entries",
           "with_layers"]
