"""The project's catalog as Kedro reads it, and where each dataset stores its data (a
path, and the layout folder holding it: `storage_of`).

The files, merge and interpolation follow Kedro's `OmegaConfigLoader` (see
`project/config.py`); only the fields the rules read (`type`, `filepath`/`path`, `versioned`)
are interpolated, and an entry whose path cannot be resolved is kept without a location
and reported. Dataset factory patterns are matched as Kedro's `CatalogConfigResolver`
matches them: with `parse`, most specific pattern first, a catch-all last.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kedro_ml_starter.manifest import Manifest
from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.project.config import (
    CONF,
    EnvConfig,
    Interpolation,
    Unresolved,
    read_config,
    read_globals,
    relative_posix,
)
from kedro_plugin_layout.project.records import (
    MODEL_ROLE,
    MOUNT_PREFIXES,
    REMOTE_PREFIXES,
    CatalogEntry,
    Location,
    Stored,
    dataset_base,
)

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# The fields of a dataset's config the rules read; only these are interpolated.
RESOLVED_FIELDS = ("type", "filepath", "path", "versioned")
PATH_FIELDS = ("filepath", "path")


class CatalogConfig(dict[str, dict[str, Any]]):
    """The merged catalog config by dataset name (a plain dict to rules), with where each
    entry is declared, the interpolations that could not be resolved, and the key (with
    where it is set) that an interpolated path starts with, by name."""

    def __init__(self, entries: Mapping[str, dict[str, Any]],
                 locations: Mapping[str, Location], unresolved: Mapping[str, str],
                 path_origins: Mapping[str, tuple[str, Location]] | None = None) -> None:
        super().__init__(entries)
        self.locations = dict(locations)
        self.unresolved = dict(unresolved)
        self.path_origins = dict(path_origins or {})


def load_catalog(root: Path, env: str | None = None) -> CatalogConfig:
    """The merged catalog config, `_` keys removed; empty when the project has none."""
    view = read_config(root, "catalog", env)
    globals_: EnvConfig | None = None
    entries: dict[str, dict[str, Any]] = {}
    unresolved: dict[str, str] = {}
    origins: dict[str, tuple[str, Location]] = {}
    for name, config in view.values.items():
        if not isinstance(config, Mapping):
            continue
        config = dict(config)
        for field in RESOLVED_FIELDS:
            value = config.get(field)
            if not (isinstance(value, str) and "${" in value):
                continue
            if globals_ is None:
                globals_ = read_globals(root, env)
            interpolation = Interpolation(view.scopes[name], globals_, root)
            try:
                config[field] = interpolation.resolve(value)
            except Unresolved as exc:
                unresolved.setdefault(name, f"{field}: {exc}")
                config[field] = None
                continue
            if field in PATH_FIELDS and (origin := interpolation.origin(value)):
                origins[name] = origin
        entries[name] = config
    locations = {name: view.locations[name] for name in entries}
    return CatalogConfig(entries, locations, unresolved, origins)


def catalog_entries(root: Path, catalog: Mapping[str, Mapping[str, Any]]
                    ) -> dict[str, CatalogEntry]:
    """One entry per catalog dataset or pattern, with where it stores data and its source."""
    locations = getattr(catalog, "locations", {})
    unresolved = getattr(catalog, "unresolved", {})
    origins = getattr(catalog, "path_origins", {})
    out = {}
    for name, config in catalog.items():
        filepath = _filepath(config)
        location, outside = locate(root, filepath, pattern="{" in name)
        declared = locations.get(name)
        path_key, path_set_at = origins.get(name, (None, None))
        out[name] = CatalogEntry(
            name=name, type=str(config.get("type") or ""), filepath=filepath,
            location=location, outside=outside, pattern="{" in name,
            versioned=bool(config.get("versioned")),
            source=declared.path if declared else None,
            line=declared.line if declared else None,
            column=declared.column if declared else None,
            remote=outside and is_remote(filepath), unresolved=unresolved.get(name),
            path_key=path_key, path_set_at=path_set_at, layer=viz_layer(config),
        )
    return out


def viz_layer(config: Mapping[str, Any]) -> str | None:
    """The entry's `metadata: kedro-viz: layer:` as text, None when it sets none."""
    metadata = config.get("metadata")
    viz = metadata.get("kedro-viz") if isinstance(metadata, Mapping) else None
    layer = viz.get("layer") if isinstance(viz, Mapping) else None
    return None if layer is None else str(layer)


def is_remote(filepath: str | None) -> bool:
    """Cloud, cluster or Databricks storage: a URL other than `file:`, `dbfs:/`, or a
    Databricks mount such as `/dbfs/...` or `/Volumes/...`."""
    if not filepath or filepath.startswith("file:"):
        return False
    return filepath.startswith(REMOTE_PREFIXES + MOUNT_PREFIXES) or bool(_URL.match(filepath))


def locate(root: Path, filepath: str | None, pattern: bool = False) -> tuple[str | None, bool]:
    """(location relative to root, leaves the project?) for a dataset's file path."""
    if not filepath:
        return None, False
    filepath = _local_path(filepath)
    if filepath.startswith(REMOTE_PREFIXES) or _URL.match(filepath):
        return None, True
    if pattern and "{" in filepath:
        fixed = filepath.split("{", 1)[0]
        filepath = fixed.rsplit("/", 1)[0] if "/" in fixed else ""
        if not filepath:
            return None, False
    absolute = Path(filepath) if Path(filepath).is_absolute() else root / filepath
    rel = relative_posix(root, absolute)
    if rel == ".." or rel.startswith("../"):
        return None, True
    return rel, False


def _local_path(filepath: str) -> str:
    """`file:///abs/x` and `file:/abs/x` (how Spark and Hadoop spell local paths) are `/abs/x`."""
    if filepath.startswith("file://"):
        return filepath[len("file://"):]
    if filepath.startswith("file:/"):
        return filepath[len("file:"):]
    return filepath


def resolve_locations(root: Path, catalog: Mapping[str, Mapping[str, Any]],
                      entries: Mapping[str, CatalogEntry],
                      names: Iterable[str]) -> dict[str, str | None]:
    """Each dataset name's location: its catalog entry, else the factory pattern it matches,
    else the entry of the same dataset under another transcoding (`x@spark` for
    `x@pandas`), else a catch-all pattern, else None (Kedro keeps it in memory)."""
    patterns = FactoryPatterns({name: cfg for name, cfg in catalog.items() if "{" in name})
    transcoded = _transcoded_locations(entries)
    out: dict[str, str | None] = {}
    for name in names:
        entry = entries.get(name)
        if entry is not None and not entry.pattern:
            out[name] = entry.location
            continue
        pattern = patterns.match(name)
        if pattern is None and dataset_base(name) in transcoded:
            out[name] = transcoded[dataset_base(name)]
            continue
        pattern = pattern or patterns.match_catch_all(name)
        if pattern is None:
            out[name] = None
            continue
        location, _ = locate(root, _filepath(patterns.resolve(name, pattern)))
        out[name] = location
    return out


def _transcoded_locations(entries: Mapping[str, CatalogEntry]) -> dict[str, str | None]:
    """Where each transcoded dataset is stored, by its base name: the plain entry if there
    is one, else its first transcoding in name order."""
    out: dict[str, str | None] = {}
    for name in sorted(entries, key=lambda n: (dataset_base(n) != n, n)):
        entry = entries[name]
        if entry.pattern or entry.location is None:
            continue
        out.setdefault(dataset_base(name), entry.location)
    return out


class FactoryPatterns:
    """Dataset factory patterns in the order Kedro tries them: more characters outside the
    placeholders first, then more placeholders, then by name; a pattern that is only
    placeholders (`{default}`) is the catch-all, tried last."""

    def __init__(self, patterns: Mapping[str, Mapping[str, Any]]) -> None:
        self._config = patterns
        ordered = sorted(patterns, key=lambda p: (-_specificity(p), -p.count("{"), p))
        catch_all = [p for p in ordered if _specificity(p) == 0]
        if len(catch_all) > 1:
            raise ProjectReadError(
                f"the catalog has several catch-all patterns ({', '.join(catch_all)}); "
                "Kedro allows one: remove the others", CONF,
            )
        self._ordered = [p for p in ordered if p not in catch_all]
        self._catch_all = catch_all

    def match(self, name: str) -> str | None:
        return next((p for p in self._ordered if _parse(p, name) is not None), None)

    def match_catch_all(self, name: str) -> str | None:
        return next((p for p in self._catch_all if _parse(p, name) is not None), None)

    def resolve(self, name: str, pattern: str) -> dict[str, Any]:
        """The pattern's config for `name`: each string with `{...}` formatted."""
        fields = _parse(pattern, name) or {}
        out = {}
        for key, value in self._config[pattern].items():
            if isinstance(value, str) and "}" in value:
                try:
                    value = value.format_map(fields)
                except (KeyError, ValueError, IndexError):
                    value = None
            out[key] = value
        return out


def _specificity(pattern: str) -> int:
    return len(re.sub(r"\{.*?\}", "", pattern))


def _parse(pattern: str, name: str) -> dict[str, Any] | None:
    """The placeholders of `pattern` matched in `name` (with `parse`, as Kedro does)."""
    # only a catalog with dataset factories needs it: the lite check stays light
    from parse import parse

    result = parse(pattern, name)
    return dict(result.named) if result is not None else None


def _filepath(config: Mapping[str, Any]) -> str | None:
    value = config.get("filepath", config.get("path"))
    return str(value) if isinstance(value, (str, os.PathLike)) else None


def storage_of(location: str | None, manifest: Manifest) -> Stored:
    """The layout folder a relative location falls in: a data folder, models/, or none."""
    if location is None:
        return Stored(None)
    if _is_under(location, manifest.models):
        return Stored(location, manifest.models, MODEL_ROLE)
    for folder in manifest.data:
        if _is_under(location, f"{manifest.data_root}/{folder.folder}"):
            return Stored(location, folder.folder, folder.role)
    return Stored(location)


def _is_under(location: str, folder: str) -> bool:
    return location == folder or location.startswith(f"{folder.rstrip('/')}/")
