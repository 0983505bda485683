"""Where each entry of `[tool.kedro_layout]` is written in pyproject.toml.

tomllib keeps no positions, so the file's lines are scanned for the table, its keys and
each data folder's and stage's `folder = "..."`, in the `[[tool.kedro_layout.data]]` /
`[[tool.kedro_layout.stages]]` form the starter writes as well as in inline arrays.
Findings about a manifest entry point there; an entry the scan cannot place points at the
table, and a project without a manifest has no lines to point at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kedro_ml_starter.manifest import TABLE, Manifest
from kedro_plugin_layout.project.records import Location

PYPROJECT = "pyproject.toml"
TABLE_HEADER = re.compile(r"^\s*\[\[?\s*(?P<name>[^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*(?P<key>[A-Za-z_][\w-]*)\s*=")
_FOLDER = re.compile(r"""(?P<key>\bfolder)\s*=\s*(?P<quote>["'])(?P<value>[^"']*)(?P=quote)""")
_ARRAYS = ("data", "stages")


@dataclass(frozen=True)
class ManifestLines:
    """Locations of the manifest's table, keys and entries (empty without a manifest)."""

    table: Location | None = None
    keys: dict[str, Location] = field(default_factory=dict)
    entries: dict[tuple[str, str], Location] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path, manifest: Manifest) -> ManifestLines:
        if manifest.source != "pyproject":
            return cls()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return cls()
        return cls.scan(text)

    @classmethod
    def scan(cls, text: str) -> ManifestLines:
        table: Location | None = None
        keys: dict[str, Location] = {}
        entries: dict[tuple[str, str], Location] = {}
        section, array = "", ""
        for number, line in enumerate(text.splitlines(), start=1):
            header = TABLE_HEADER.match(line)
            if header:
                section, array = header["name"].replace(" ", ""), ""
                if section == TABLE and table is None:
                    table = Location(PYPROJECT, number, 1)
                if section.startswith(f"{TABLE}.") and section[len(TABLE) + 1:] in _ARRAYS:
                    array = section[len(TABLE) + 1:]
                continue
            if section == TABLE:
                key = _KEY.match(line)
                if key:
                    keys.setdefault(key["key"], Location(PYPROJECT, number, 1))
                    array = key["key"] if key["key"] in _ARRAYS else ""
            if array:
                for match in _FOLDER.finditer(line):
                    entries.setdefault((array, match["value"]),
                                       Location(PYPROJECT, number, match.start("key") + 1))
        return cls(table, keys, entries)

    def data(self, folder: str) -> Location | None:
        """The `folder = "..."` line of a `[[tool.kedro_layout.data]]` entry."""
        return self.entries.get(("data", folder)) or self.keys.get("data") or self.table

    def stage(self, folder: str) -> Location | None:
        """The `folder = "..."` line of a `[[tool.kedro_layout.stages]]` entry."""
        return self.entries.get(("stages", folder)) or self.keys.get("stages") or self.table

    def key(self, name: str) -> Location | None:
        """A key of the table (`models = "models"`), or the table when it is not written."""
        return self.keys.get(name) or self.table


__all__ = ["ManifestLines", "PYPROJECT", "TABLE_HEADER"]
