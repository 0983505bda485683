"""Which data folders a project has and what each holds, read from everything that says so.

The folders on disk are not enough: a fresh clone of a project whose data is in DVC, or
ignored by git, has none of them, and adopting the default layout there made 70 false
placement findings on real projects. So `kedro layout init` takes the union of

- the folders under the data root on disk;
- the folders the catalog's datasets are stored in;
- the folders DVC restores (`*.dvc` files, `dvc.yaml` outputs);
- Kedro's own data folders (`01_raw` … `08_reporting`) between those, when every
  numbered folder found is one of them (a project made by `kedro new` has them all).

A folder's role comes from its name (`raw`, `train`, `valid`, `test`, ...), else from the
split: when every catalog dataset stored in a folder is an output of a split node for the
same split (`X_train`, `y_train`), the folder holds that split. The models folder is a
folder named `models` (`06_models`), else the one folder every catalog model is stored in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from kedro_ml_starter.manifest import DataFolder, folder_name, folder_number
from kedro_plugin_layout.kinds import DataRole
from kedro_plugin_layout.project.datafiles import suffix
from kedro_plugin_layout.project.dvc import DvcTracked
from kedro_plugin_layout.project.records import CatalogEntry, Node, dataset_base

KEDRO_DATA_FOLDERS = ("01_raw", "02_intermediate", "03_primary", "04_feature",
                      "05_model_input", "06_models", "07_model_output", "08_reporting")
_NAME_HINTS = (
    ("raw", DataRole.RAW), ("train", DataRole.TRAIN), ("eval", DataRole.EVAL),
    ("valid", DataRole.EVAL), ("test", DataRole.TEST), ("holdout", DataRole.TEST),
    ("report", DataRole.REPORTING), ("scor", DataRole.SCORING),
)
_MODELS_RE = re.compile(r"^(\d{2}_)?models?$")
# Words of a dataset name that say which split it holds (`X_train`, `y_val`, `test_set`).
_SPLIT_WORDS = {
    DataRole.TRAIN: frozenset({"train", "training", "trn"}),
    DataRole.EVAL: frozenset({"eval", "evaluation", "val", "valid", "validation"}),
    DataRole.TEST: frozenset({"test", "testing", "tst", "holdout", "heldout"}),
}
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# Whether a catalog entry holds a model (`project/model_datasets.py`'s is_model_dataset).
IsModel = Callable[[CatalogEntry], bool]


@dataclass(frozen=True)
class InferredData:
    """The data folders (ordered), the models folder, and where each folder was seen."""

    folders: tuple[DataFolder, ...]
    models: str
    seen_in: Mapping[str, tuple[str, ...]]


def infer_data(data_root: str, on_disk: Iterable[str], entries: Mapping[str, CatalogEntry],
               dvc: DvcTracked, nodes: Iterable[Node], is_model: IsModel,
               default_models: str = "models") -> InferredData:
    """The project's data folders and models folder (see the module doc)."""
    seen: dict[str, list[str]] = {}
    for name in on_disk:
        seen.setdefault(name, []).append("disk")
    for entry in entries.values():
        folder = _folder_of(entry.location, data_root) if not entry.outside else None
        if folder is not None:
            seen.setdefault(folder, []).append("catalog")
    for path in dvc.paths:
        folder = _folder_of(path, data_root)
        if folder is not None:
            seen.setdefault(folder, []).append("DVC")
    for folder in _kedro_gaps(seen):
        seen.setdefault(folder, []).append("Kedro's default")
    split = split_outputs(nodes)
    folders = tuple(
        DataFolder(name, _role(name, data_root, entries, split)) for name in sorted(seen)
    )
    models = _models(data_root, [f.folder for f in folders], entries, is_model,
                     default_models)
    return InferredData(folders, models, {k: tuple(dict.fromkeys(v)) for k, v in seen.items()})


def split_role(name: str) -> DataRole | None:
    """The split a dataset's name says it holds (`X_train` -> train), or None."""
    words = {word.lower() for word in _WORD.findall(dataset_base(name))}
    roles = [role for role, names in _SPLIT_WORDS.items() if words & names]
    return roles[0] if len(roles) == 1 else None


def split_outputs(nodes: Iterable[Node]) -> dict[str, DataRole]:
    """The outputs of split nodes (a node writing a train-named output next to a held-out
    one), with the split each holds."""
    out: dict[str, DataRole] = {}
    for node in nodes:
        roles = {name: split_role(name) for name in node.outputs}
        found = set(roles.values()) - {None}
        if DataRole.TRAIN in found and found & {DataRole.EVAL, DataRole.TEST}:
            out.update({name: role for name, role in roles.items() if role is not None})
    return out


def data_role(folder: str) -> DataRole:
    """The role a data folder's name suggests, else `other`."""
    name = folder_name(folder)
    return next((role for hint, role in _NAME_HINTS if hint in name), DataRole.OTHER)


def _role(folder: str, data_root: str, entries: Mapping[str, CatalogEntry],
          split: Mapping[str, DataRole]) -> DataRole:
    named = data_role(folder)
    if named != DataRole.OTHER:
        return named
    stored = [entry for entry in entries.values()
              if _folder_of(entry.location, data_root) == folder]
    roles = {split.get(entry.name) or split.get(dataset_base(entry.name)) for entry in stored}
    if len(roles) == 1 and None not in roles:
        role = roles.pop()
        assert role is not None
        return role
    return DataRole.OTHER


def _models(data_root: str, folders: list[str], entries: Mapping[str, CatalogEntry],
            is_model: IsModel, default: str) -> str:
    named = next((f for f in folders if _MODELS_RE.match(f)), None)
    if named is not None:
        return f"{data_root}/{named}"
    homes = {_parent(entry.location) for entry in entries.values()
             if entry.location and not entry.outside and not entry.pattern and is_model(entry)}
    if len(homes) != 1:
        return default
    home = homes.pop()
    others = [entry for entry in entries.values()
              if entry.location and _parent(entry.location) == home and not is_model(entry)]
    return home if home and not others else default


def _folder_of(location: str | None, data_root: str) -> str | None:
    """The data folder (first part below the data root) holding `location`, or None for a
    path outside the data root or a file directly in it (`data/rows.csv`)."""
    if not location or not location.startswith(f"{data_root}/"):
        return None
    rest = location[len(data_root) + 1:]
    first, _, below = rest.partition("/")
    if not first or first.startswith((".", "_")) or "{" in first:
        return None
    if not below and suffix(first):
        return None  # a file in the data root itself
    return first


def _kedro_gaps(seen: Mapping[str, object]) -> list[str]:
    """Kedro's data folders missing between those found, when every numbered folder found
    is one of Kedro's (then the project follows Kedro's convention, gaps included)."""
    numbered = [name for name in seen if folder_number(name) is not None]
    if not numbered or any(name not in KEDRO_DATA_FOLDERS for name in numbered):
        return []
    last = max(folder_number(name) or 0 for name in numbered)
    return [name for name in KEDRO_DATA_FOLDERS[:last] if name not in seen]


def _parent(location: str | None) -> str:
    return PurePosixPath(location or "").parent.as_posix() if location else ""


__all__ = ["KEDRO_DATA_FOLDERS", "InferredData", "data_role", "infer_data",
           "split_outputs", "split_role"]
