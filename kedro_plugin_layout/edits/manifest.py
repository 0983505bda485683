"""Writing the manifest back into pyproject.toml without disturbing the user's text.

tomlkit keeps comments and formatting: an existing `[tool.kedro_layout]` table is
updated key by key (a renumbered stage keeps its comments, a new stage is inserted at
its position); a missing table is appended, leaving every other byte of the file as it was.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any

import tomlkit
from tomlkit.items import Whitespace

from kedro_ml_starter.manifest import (
    Manifest,
    manifest_to_dict,
    manifest_to_toml,
    parse_manifest,
)
from kedro_plugin_layout.errors import ManifestError


def pyproject_with_manifest(
    text: str, manifest: Manifest, renamed: Mapping[str, str] | None = None
) -> str:
    """pyproject.toml text with `manifest` written in; `renamed` maps old → new stage folders."""
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ManifestError(f"cannot be updated ({exc}); fix the TOML", "pyproject.toml") \
            from None
    tool = doc.get("tool")
    layout = tool.get("kedro_layout") if tool is not None else None
    if layout is None:
        out = _append_table(text, manifest)
    else:
        _update_table(layout, manifest_to_dict(manifest), dict(renamed or {}))
        out = tomlkit.dumps(doc)
    _verify(out, manifest)
    return out


def _append_table(text: str, manifest: Manifest) -> str:
    separator = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
    return text + separator + manifest_to_toml(manifest)


def _update_table(layout: Any, wanted: dict[str, Any], renamed: dict[str, str]) -> None:
    for key, value in wanted.items():
        if key in ("data", "stages", "ignore"):
            _sync_entries(layout, key, value, renamed if key == "stages" else {})
        elif layout.get(key) != value:
            layout[key] = value


def _sync_entries(
    layout: Any, key: str, wanted: list[dict[str, str]], renamed: dict[str, str]
) -> None:
    """Rewrites an array of tables in place, reusing each entry that still exists."""
    current = layout.get(key)
    if current is not None and [dict(e) for e in current] == wanted:
        return
    if not wanted:
        if current is not None:
            layout[key] = tomlkit.array()
        return
    if current is None or not isinstance(current, tomlkit.items.AoT):
        aot = tomlkit.aot()
        for entry in wanted:
            aot.append(_table(entry))
        layout[key] = aot
        return
    by_folder = {}
    for table in current:
        folder = str(table.get("folder", table.get("rule", "")))
        by_folder[renamed.get(folder, folder)] = table
    tables = []
    for entry in wanted:
        name = entry.get("folder", entry.get("rule", ""))
        table = by_folder.pop(name, None)
        if table is None:
            table = _table(entry)
        else:
            for field, value in entry.items():
                if table.get(field) != value:
                    table[field] = value
        tables.append(table)
    keep_trailing = _ends_with_blank_line(current[-1])
    while len(current):
        current.pop(0)
    for i, table in enumerate(tables):
        if i < len(tables) - 1 or keep_trailing:
            _end_with_blank_line(table)
        current.append(table)


def _table(entry: Mapping[str, str]) -> Any:
    table = tomlkit.table()
    for field, value in entry.items():
        table.add(field, value)
    return table


def _ends_with_blank_line(table: Any) -> bool:
    body = table.value.body
    return bool(body) and isinstance(body[-1][1], Whitespace)


def _end_with_blank_line(table: Any) -> None:
    if not _ends_with_blank_line(table):
        table.add(tomlkit.nl())


def _verify(text: str, manifest: Manifest) -> None:
    """The written text must parse back to the same manifest; anything else is refused."""
    try:
        table = tomllib.loads(text).get("tool", {}).get("kedro_layout")
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(
            f"updating [tool.kedro_layout] would break the file ({exc}); edit it by hand",
            "pyproject.toml",
        ) from None
    if parse_manifest(table) != manifest:
        raise ManifestError(
            "[tool.kedro_layout] could not be updated in place; edit it by hand",
            "pyproject.toml",
        )
