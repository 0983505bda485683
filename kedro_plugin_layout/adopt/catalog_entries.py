"""Changing keys of a catalog entry without disturbing the rest of the user's YAML.

The file is parsed (PyYAML's node graph, as `kedro_config` reads it) only to find where
each key's value sits; the change goes in as text there: a one-line scalar is replaced in
place (a comment after it stays), a block (`load_args:` and what it holds) is replaced by
new lines at its indentation, a new key goes after the entry's last value, a removed key's
lines go. Comments, blank lines, quoting and the other entries stay exactly as they were.
(A round-trip YAML library would drop the comment that follows a removed key, which is
where the next entry's comment sits.) The result must parse to the old catalog with just
these changes, or the whole entry is rewritten in block style; if even that does not read
back right (anchors shared with other entries, say), `UseDataError` asks for a hand edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kedro_plugin_layout.catalog_edit import _after_last_value as after_last_value
from kedro_plugin_layout.errors import UseDataError

REMOVE = object()  # a change's value that removes the key


@dataclass(frozen=True)
class EntryChange:
    """New values for keys of one top-level catalog entry (`REMOVE` removes the key)."""

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
    """`text` (the catalog file `where`) with each change made; see the module docstring."""
    for change in changes:
        expected = _expected(text, change, where)
        edited = text
        for key, value in change.values.items():
            edited = _change_key(edited, change.name, key, value)
        if not _reads_as(edited, expected):
            edited = _rewrite_entry(text, change.name, expected[change.name])
        if not _reads_as(edited, expected):
            raise UseDataError(f"cannot change `{change.name}` in {where} without disturbing "
                               "other entries (an anchor or a merge key?); set it by hand as "
                               "the plan shows, then run again")
        text = edited
    return text


def _expected(text: str, change: EntryChange, where: str) -> dict[str, Any]:
    before = _load(text)
    if before is None:
        raise UseDataError(f"{where} is not valid YAML; fix it and run again")
    if not isinstance(before.get(change.name), Mapping):
        raise UseDataError(f"{where} has no `{change.name}:` entry to change; add it back "
                           "(see the starter's conf/base) and run again")
    before[change.name] = change.applied_to(before[change.name])
    return before


def _load(text: str) -> dict[str, Any] | None:
    import yaml

    from kedro_plugin_layout.kedro_config import yaml_loader

    try:
        data = yaml.load(text, Loader=yaml_loader())
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def _reads_as(text: str, expected: Mapping[str, Any]) -> bool:
    return _load(text) == expected


def _entry(text: str, name: str) -> tuple[Any, Any]:
    """The key node and value node of a top-level entry."""
    import yaml

    from kedro_plugin_layout.kedro_config import yaml_loader

    root = yaml.compose(text, Loader=yaml_loader())
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name:
            return key, value
    raise KeyError(name)


def _change_key(text: str, name: str, key: str, value: Any) -> str:
    """One key of one entry changed as text; unchanged text when it cannot be done here
    (the check after all changes then falls back to rewriting the entry)."""
    import yaml

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
        at = after_last_value(entry)
        return "".join(lines[:at] + _block(key, value, indent) + lines[at:])
    old_key, old_value = found
    if value is REMOVE:
        return "".join(lines[:old_key.start_mark.line] + lines[after_last_value(old_value):])
    one_line = old_value.start_mark.line == old_value.end_mark.line
    if isinstance(old_value, yaml.ScalarNode) and one_line and not isinstance(value, Mapping):
        line = lines[old_value.start_mark.line]
        start, end = old_value.start_mark.column, old_value.end_mark.column
        lines[old_value.start_mark.line] = line[:start] + scalar(value) + line[end:]
        return "".join(lines)
    first = old_key.start_mark.line
    return "".join(lines[:first] + _block(key, value, indent)
                   + lines[after_last_value(old_value):])


def _rewrite_entry(text: str, name: str, config: Mapping[str, Any]) -> str:
    """The whole entry replaced by `config` in block style (its inner comments are lost)."""
    import yaml

    key, entry = _entry(text, name)
    lines = text.splitlines(keepends=True)
    body = yaml.safe_dump({name: dict(config)}, sort_keys=False, default_flow_style=False,
                          allow_unicode=True, width=1 << 16)
    end = after_last_value(entry)
    return "".join(lines[:key.start_mark.line] + [body] + lines[end:])


def _block(key: str, value: Any, indent: int) -> list[str]:
    import yaml

    dumped = yaml.safe_dump({key: value}, sort_keys=False, default_flow_style=False,
                            allow_unicode=True, width=1 << 16)
    return [" " * indent + line for line in dumped.splitlines(keepends=True)]


def scalar(value: Any) -> str:
    """A value as an inline YAML scalar that reads back as the same value."""
    import yaml

    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                            width=1 << 16)
    return dumped.removesuffix("\n...\n").rstrip("\n")
