"""The project's catalog as Kedro reads it, and where each dataset stores its data.

Kedro's own `OmegaConfigLoader` reads `conf/base` and the run environment (`local`), so
file patterns (`catalog*.yml`, `catalog*/**`), merging and `${globals:...}` templating
behave exactly as in `kedro run`. Dataset factory patterns are resolved with Kedro's
`CatalogConfigResolver`. Kedro is imported here, never at the plugin's import time.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.facts import (
    MOUNT_PREFIXES, REMOTE_PREFIXES, CatalogEntry, dataset_base,
)

CONF = "conf"
BASE_ENV = "base"
DEFAULT_ENV = "local"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_YAML_ERROR = re.compile(r"Invalid YAML or JSON file (?P<file>.+?), unable to read line "
                         r"(?P<line>\d+), position (?P<column>\d+)")


def load_catalog(root: Path, env: str | None = None) -> dict[str, dict[str, Any]]:
    """The merged catalog config, `_` anchors removed; `{}` when the project has none."""
    conf = root / CONF
    if not (conf / BASE_ENV).is_dir():
        return {}
    run_env = env or DEFAULT_ENV
    if not (conf / run_env).is_dir():
        if env is not None:
            raise ProjectReadError(f"no environment {env!r}; create it or pick another",
                                   f"{CONF}/{env}")
        run_env = BASE_ENV
    from kedro.config import MissingConfigException, OmegaConfigLoader

    try:
        with warnings.catch_warnings():  # OmegaConf's deprecation notices are not ours
            warnings.simplefilter("ignore")
            loader = OmegaConfigLoader(
                conf_source=str(conf), base_env=BASE_ENV, default_run_env=run_env, env=run_env
            )
            config = loader["catalog"]
    except MissingConfigException:
        return {}
    except Exception as exc:  # Kedro and OmegaConf raise many types; all mean "fix conf/"
        raise _config_error(root, exc) from None
    return {str(k): v for k, v in config.items() if isinstance(v, Mapping)}


def _config_error(root: Path, exc: Exception) -> ProjectReadError:
    text = " ".join(str(exc).split())
    match = _YAML_ERROR.search(text)
    if match:
        where = _rel(root, Path(match["file"]))
        return ProjectReadError(
            f"not valid YAML (line {int(match['line']) + 1}, column "
            f"{int(match['column']) + 1}); fix the syntax", where,
        )
    return ProjectReadError(f"the catalog cannot be loaded: {text}; fix conf/", CONF)


def catalog_entries(root: Path, catalog: Mapping[str, Mapping[str, Any]],
                    env: str | None = None) -> dict[str, CatalogEntry]:
    """One entry per catalog dataset or pattern, with where it stores data and its source."""
    sources = _sources(root, catalog, env)
    out = {}
    for name, config in catalog.items():
        filepath = _filepath(config)
        location, outside = locate(root, filepath, pattern="{" in name)
        source, line = sources.get(name, (None, None))
        out[name] = CatalogEntry(
            name=name, type=str(config.get("type", "")), filepath=filepath, location=location,
            outside=outside, pattern="{" in name, versioned=bool(config.get("versioned")),
            source=source, line=line, remote=outside and is_remote(filepath),
        )
    return out


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
    rel = _rel(root, absolute)
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
    resolver = _resolver(catalog)
    transcoded = _transcoded_locations(entries)
    out: dict[str, str | None] = {}
    for name in names:
        entry = entries.get(name)
        if entry is not None and not entry.pattern:
            out[name] = entry.location
            continue
        pattern = resolver.match_dataset_pattern(name)
        if pattern is None and dataset_base(name) in transcoded:
            out[name] = transcoded[dataset_base(name)]
            continue
        pattern = pattern or resolver.match_user_catch_all_pattern(name)
        if pattern is None:
            out[name] = None
            continue
        location, _ = locate(root, _filepath(resolver.resolve_pattern(name)))
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


def _resolver(catalog: Mapping[str, Mapping[str, Any]]) -> Any:
    from kedro.io.catalog_config_resolver import DEFAULT_RUNTIME_PATTERN, CatalogConfigResolver

    config = {name: {k: v for k, v in cfg.items() if k != "credentials"}
              for name, cfg in catalog.items()}
    try:
        return CatalogConfigResolver(config=config, credentials={},
                                     default_runtime_patterns=DEFAULT_RUNTIME_PATTERN)
    except Exception as exc:
        raise ProjectReadError(
            f"a dataset factory pattern is invalid: {' '.join(str(exc).split())}", CONF
        ) from None


def _filepath(config: Mapping[str, Any]) -> str | None:
    value = config.get("filepath", config.get("path"))
    return str(value) if isinstance(value, (str, os.PathLike)) else None


def _sources(root: Path, catalog: Mapping[str, Any],
             env: str | None) -> dict[str, tuple[str, int]]:
    """Where each dataset is declared (file, 1-based line), the run environment first."""
    found: dict[str, tuple[str, int]] = {}
    for env_name in (env or DEFAULT_ENV, BASE_ENV):
        folder = root / CONF / env_name
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if not _is_catalog_file(path.relative_to(folder)):
                continue
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(lines, start=1):
                key = _top_level_key(line)
                if key in catalog and key not in found:
                    found[key] = (_rel(root, path), number)
    return found


def _is_catalog_file(rel: Path) -> bool:
    return rel.suffix in (".yml", ".yaml", ".json") and any(
        part.startswith("catalog") for part in rel.parts
    )


def _top_level_key(line: str) -> str | None:
    if not line or line[0] in " \t#-":
        return None
    key = line.split(":", 1)[0].strip() if ":" in line else None
    return key.strip("'\"") if key else None


def _rel(root: Path, path: Path) -> str:
    return PurePosixPath(Path(os.path.relpath(os.path.normpath(path), root))).as_posix()
