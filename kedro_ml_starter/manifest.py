"""The layout manifest: `[tool.kedro_layout]` in a project's pyproject.toml.

This is the contract between the starter and the plugin. The starter writes it (its
post-generation hook calls `manifest_to_toml`), every `kedro layout` command reads it
with `load_manifest`, and `add-stage`, `fix` and `init` update it. A project without
the table is judged against `default_manifest()`.

The table looks like this (version 1)::

    [tool.kedro_layout]
    version = 1
    stage_style = "numbered"        # or "plain": importable, mypy-checkable folders
    data_root = "data"
    models = "models"
    notebooks = "notebooks"
    utils = "utils"                 # inside the package: code shared by stages
    tests = "tests"

    [[tool.kedro_layout.data]]      # ordered; `folder` is under data_root
    folder = "01_raw"
    role = "raw"
    description = "..."

    [[tool.kedro_layout.stages]]    # ordered; `folder` is under <package>/pipelines
    folder = "01_data_preprocessing"
    role = "preprocessing"
    description = "..."

    [[tool.kedro_layout.ignore]]    # shown as skipped, with the reason
    rule = "KL302"
    reason = "..."

    [tool.kedro_layout.template]    # what generated the project (template_record.py)
    version = "0.2.0"

Roles carry the meaning the leakage rules need: which folders hold the eval and
test splits, and which stages fit anything.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kedro_ml_starter.errors import ManifestError, ProjectReadError
from kedro_ml_starter.kinds import DataRole, StageRole, StageStyle, values
from kedro_ml_starter.template_record import (
    TemplateRecord,
    parse_template_record,
    template_table,
)

MANIFEST_VERSION = 1
TABLE = "tool.kedro_layout"
STAGE_STYLES = values(StageStyle)
DATA_ROLES = values(DataRole)
STAGE_ROLES = values(StageRole)

# Two digits, an underscore, then a lower-case identifier: `01_raw`, `03_model_training`.
NUMBERED_RE = re.compile(r"^(?P<number>\d{2})_(?P<name>[a-z][a-z0-9_]*)$")
IDENTIFIER_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def folder_number(folder: str) -> int | None:
    """The two-digit prefix of `03_eval` as an int; None for an unnumbered folder."""
    match = NUMBERED_RE.match(folder)
    return int(match["number"]) if match else None


def folder_name(folder: str) -> str:
    """A folder's name without its number: `model_training` for `03_model_training`."""
    match = NUMBERED_RE.match(folder)
    return match["name"] if match else folder


@dataclass(frozen=True)
class DataFolder:
    """A folder under the data root, e.g. `02_train`, holding one kind of data."""

    folder: str
    role: DataRole
    description: str = ""

    @property
    def number(self) -> int | None:
        return folder_number(self.folder)


@dataclass(frozen=True)
class Stage:
    """One step of the work: a Kedro pipeline package under `<package>/pipelines/`."""

    folder: str
    role: StageRole
    description: str = ""

    @property
    def number(self) -> int | None:
        return folder_number(self.folder)

    @property
    def name(self) -> str:
        """The stage's name without its number: `model_training`."""
        return folder_name(self.folder)


@dataclass(frozen=True)
class Ignore:
    """A rule (id or id prefix) the project opts out of, and why."""

    rule: str
    reason: str


@dataclass(frozen=True)
class Manifest:
    version: int = MANIFEST_VERSION
    stage_style: StageStyle = StageStyle.NUMBERED
    data_root: str = "data"
    models: str = "models"
    notebooks: str = "notebooks"
    utils: str = "utils"
    tests: str = "tests"
    data: tuple[DataFolder, ...] = ()
    stages: tuple[Stage, ...] = ()
    ignore: tuple[Ignore, ...] = ()
    # Where it came from: "pyproject" when the table exists, "default" otherwise.
    source: str = field(default="default", compare=False)

    def data_folder(self, role: DataRole) -> DataFolder | None:
        """The first data folder with this role, or None."""
        return next((d for d in self.data if d.role == role), None)

    def stage(self, key: str) -> Stage | None:
        """A stage by its folder (`03_model_training`) or its name (`model_training`)."""
        return next((s for s in self.stages if key in (s.folder, s.name)), None)

    def stage_index(self, key: str) -> int:
        stage = self.stage(key)
        return -1 if stage is None else self.stages.index(stage)

    def stage_role(self, folder: str) -> StageRole:
        """The role of a stage folder; `other` for a folder the manifest does not list."""
        stage = self.stage(folder)
        return stage.role if stage else StageRole.OTHER


_DEFAULT_DATA = (
    DataFolder("01_raw", DataRole.RAW, "the data as received; never edited by hand"),
    DataFolder("02_train", DataRole.TRAIN, "the training split and everything derived from it"),
    DataFolder("03_eval", DataRole.EVAL, "the evaluation split, for model selection"),
    DataFolder("04_test", DataRole.TEST, "the held-out test split, read only by evaluation"),
    DataFolder("05_reporting", DataRole.REPORTING, "metrics and plots a person looks at"),
    DataFolder("06_scoring", DataRole.SCORING, "new rows to score and their predictions"),
)
_DEFAULT_STAGES = (
    ("data_preprocessing", StageRole.PREPROCESSING, "validate, clean and split the raw data"),
    ("feature_engineering", StageRole.FEATURES,
     "fit transformers on train; features for each split"),
    ("model_training", StageRole.TRAINING, "train the model on the training split only"),
    ("model_evaluation", StageRole.EVALUATION, "metrics and plots on the eval and test splits"),
    ("api", StageRole.SERVING, "batch scoring and the HTTP prediction app"),
)


def stage_folder(number: int, name: str, stage_style: str) -> str:
    """The folder a stage lives in for a stage style: `03_model_training` or `model_training`."""
    return f"{number:02d}_{name}" if stage_style == StageStyle.NUMBERED else name


def default_manifest(stage_style: str = StageStyle.NUMBERED) -> Manifest:
    """The layout the starter generates, and the one a project without a manifest is judged by."""
    if stage_style not in STAGE_STYLES:
        raise ManifestError(
            f"stage_style {stage_style!r} is not one of {', '.join(STAGE_STYLES)}"
        )
    stages = tuple(
        Stage(stage_folder(i, name, stage_style), role, description)
        for i, (name, role, description) in enumerate(_DEFAULT_STAGES, start=1)
    )
    return Manifest(stage_style=StageStyle(stage_style), data=_DEFAULT_DATA, stages=stages)


# -- reading -----------------------------------------------------------------------------

_TOP_KEYS = {"version", "stage_style", "data_root", "models", "notebooks", "utils", "tests",
             "data", "stages", "ignore", "template"}
_PATH_KEYS = ("data_root", "models", "notebooks", "utils", "tests")


def read_pyproject(root: Path) -> dict[str, Any]:
    """The parsed pyproject.toml of a project, or ProjectReadError naming the file."""
    path = root / "pyproject.toml"
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError:
        raise ProjectReadError(
            "no pyproject.toml: run this inside a Kedro project or pass its path", path
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProjectReadError(f"not valid TOML ({exc}); fix the syntax", path) from None
    except OSError as exc:
        raise ProjectReadError(f"cannot be read ({exc.strerror})", path) from None


def load_manifest(root: Path, pyproject: Mapping[str, Any] | None = None) -> Manifest:
    """The project's manifest, or the default layout when it has none."""
    if pyproject is None:
        pyproject = read_pyproject(root)
    table = pyproject.get("tool", {}).get("kedro_layout")
    if table is None:
        return default_manifest()
    return parse_manifest(table, root / "pyproject.toml")


def parse_manifest(table: Any, path: Path | str = "pyproject.toml") -> Manifest:
    """Validates a `[tool.kedro_layout]` table; every error names the key and the fix."""
    if not isinstance(table, Mapping):
        raise ManifestError(f"[{TABLE}] must be a table", path)
    unknown = sorted(set(table) - _TOP_KEYS)
    if unknown:
        raise ManifestError(
            f"[{TABLE}] has unknown key {unknown[0]!r}; allowed keys: {', '.join(sorted(_TOP_KEYS))}",
            path,
        )
    version = table.get("version")
    if version != MANIFEST_VERSION:
        raise ManifestError(
            f"[{TABLE}].version is {version!r}; set `version = {MANIFEST_VERSION}`", path
        )
    style = table.get("stage_style", "numbered")
    if style not in STAGE_STYLES:
        raise ManifestError(
            f"[{TABLE}].stage_style is {style!r}; use one of: {', '.join(STAGE_STYLES)}", path
        )
    paths = {}
    for key in _PATH_KEYS:
        value = table.get(key, getattr(Manifest, key))
        paths[key] = _relative_path(value, f"[{TABLE}].{key}", path)
    default = default_manifest(style)
    data = tuple(
        DataFolder(entry["folder"], DataRole(entry["role"]), entry.get("description", ""))
        for entry in _entries(table, "data", ("folder", "role"), DATA_ROLES, path)
    ) if "data" in table else default.data
    stages = tuple(
        Stage(entry["folder"], StageRole(entry["role"]), entry.get("description", ""))
        for entry in _entries(table, "stages", ("folder", "role"), STAGE_ROLES, path)
    ) if "stages" in table else default.stages
    for i, stage in enumerate(stages):
        if style == StageStyle.NUMBERED and not NUMBERED_RE.match(stage.folder):
            raise ManifestError(
                f"[{TABLE}].stages[{i}].folder {stage.folder!r} is not numbered; "
                "name it like `03_model_training` or set `stage_style = \"plain\"`",
                path,
            )
        if not (NUMBERED_RE.match(stage.folder) or IDENTIFIER_RE.match(stage.folder)):
            raise ManifestError(
                f"[{TABLE}].stages[{i}].folder {stage.folder!r} must be a lower-case "
                "identifier, optionally with a two-digit prefix",
                path,
            )
    _no_duplicates([d.folder for d in data], "data", path)
    _no_duplicates([s.folder for s in stages], "stages", path)
    ignore = tuple(
        Ignore(**entry) for entry in _entries(table, "ignore", ("rule", "reason"), None, path)
    )
    if "template" in table:  # provenance, not layout: checked here, read by `upgrade`
        parse_template_record(table["template"], path)
    return Manifest(
        version=version, stage_style=StageStyle(style), data=data, stages=stages,
        ignore=ignore, source="pyproject", **paths,
    )


def _relative_path(value: Any, key: str, path: Path | str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ManifestError(f"{key} must be a non-empty string", path)
    parts = Path(value).parts
    if Path(value).is_absolute() or ".." in parts or "\\" in value:
        raise ManifestError(f"{key} is {value!r}; use a path inside the project", path)
    return value.strip("/")


def _entries(
    table: Mapping[str, Any],
    key: str,
    required: tuple[str, ...],
    roles: tuple[str, ...] | None,
    path: Path | str,
) -> list[dict[str, str]]:
    entries = table.get(key, [])
    where = f"[[{TABLE}.{key}]]"
    if not isinstance(entries, list):
        raise ManifestError(f"{where} must be an array of tables", path)
    allowed = set(required) | {"description"}
    out = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise ManifestError(f"{where} entry {i} must be a table", path)
        extra = sorted(set(entry) - allowed)
        if extra:
            raise ManifestError(
                f"{TABLE}.{key}[{i}] has unknown key {extra[0]!r}; "
                f"allowed: {', '.join(sorted(allowed))}",
                path,
            )
        for name in required:
            value = entry.get(name)
            if not isinstance(value, str) or not value:
                raise ManifestError(f"{TABLE}.{key}[{i}] needs `{name} = \"...\"`", path)
        if "/" in entry.get("folder", "") or ".." in entry.get("folder", ""):
            raise ManifestError(
                f"{TABLE}.{key}[{i}].folder {entry['folder']!r} must be a single folder name",
                path,
            )
        if roles is not None and entry["role"] not in roles:
            raise ManifestError(
                f"{TABLE}.{key}[{i}].role is {entry['role']!r}; use one of: {', '.join(roles)}",
                path,
            )
        out.append({k: str(v) for k, v in entry.items()})
    return out


def _no_duplicates(folders: Iterable[str], key: str, path: Path | str) -> None:
    seen: set[str] = set()
    for folder in folders:
        if folder in seen:
            raise ManifestError(
                f"{TABLE}.{key} lists {folder!r} twice; keep one entry", path
            )
        seen.add(folder)


# -- writing -----------------------------------------------------------------------------


def manifest_to_dict(manifest: Manifest) -> dict[str, Any]:
    """Plain data for TOML writers (tomlkit keeps the user's formatting around it)."""
    out: dict[str, Any] = {"version": manifest.version,
                           "stage_style": str(manifest.stage_style)}
    for key in _PATH_KEYS:
        out[key] = getattr(manifest, key)
    out["data"] = [_drop_empty(vars(d)) for d in manifest.data]
    out["stages"] = [_drop_empty(vars(s)) for s in manifest.stages]
    if manifest.ignore:
        out["ignore"] = [vars(i) for i in manifest.ignore]
    return out


def manifest_to_toml(manifest: Manifest, template: TemplateRecord | None = None) -> str:
    """The `[tool.kedro_layout]` table as TOML text, ready to append to pyproject.toml;
    with `template`, the record of what generated the project closes it."""
    import tomlkit  # only writing needs it: the check reads with tomllib, and stays light

    doc = tomlkit.document()
    tool = tomlkit.table(is_super_table=True)
    layout = tomlkit.table()
    for key, value in manifest_to_dict(manifest).items():
        if isinstance(value, list):
            array = tomlkit.aot()
            for entry in value:
                array.append(tomlkit.item(entry))
            layout.add(key, array)
        else:
            layout.add(key, value)
    if template is not None:
        layout.add("template", template_table(template))
    tool.add("kedro_layout", layout)
    doc.add("tool", tool)
    return tomlkit.dumps(doc)


def with_stages(manifest: Manifest, stages: Iterable[Stage]) -> Manifest:
    return replace(manifest, stages=tuple(stages))


def _drop_empty(entry: dict[str, str]) -> dict[str, str]:
    """Plain `str` values (roles are enums) without the empty ones."""
    return {k: str(v) for k, v in entry.items() if v != ""}


__all__ = [
    "DATA_ROLES", "STAGE_ROLES", "STAGE_STYLES", "NUMBERED_RE", "IDENTIFIER_RE",
    "folder_number", "folder_name", "DataFolder", "Stage", "Ignore", "Manifest",
    "default_manifest", "stage_folder",
    "load_manifest", "parse_manifest", "read_pyproject", "manifest_to_dict",
    "manifest_to_toml", "with_stages",
]
