"""Which files are data, grouped the way a user thinks of them: one dataset, one path.

Spark writes a dataset as a directory of part files (`part-00000-….snappy.parquet`)
beside `_SUCCESS`, checksums (`.part-….crc`) and, for Delta tables, `_delta_log/`;
partitioned writes nest `key=value/` folders; MLlib saves a fitted pipeline as
`metadata/` and `data/` folders, one pair per stage under `stages/`. Each such directory
is one dataset, so the rules name the directory once instead of every part file in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DATA_SUFFIXES = frozenset({
    ".csv", ".tsv", ".parquet", ".pq", ".pickle", ".pkl", ".joblib", ".feather", ".arrow",
    ".xlsx", ".xls", ".h5", ".hdf5", ".hdf", ".npy", ".npz", ".orc", ".avro", ".sav",
    ".dta", ".sqlite", ".db", ".onnx", ".pt", ".pth", ".ckpt", ".safetensors", ".tfrecord",
})
# What Spark and Hadoop committers write into a dataset directory besides the data.
_SPARK_FILE = re.compile(r"^\.?(?:part-(?:[rm]-)?\d{5}.*|_SUCCESS|_committed_.*|_started_.*|"
                         r"_common_metadata|_metadata)(?:\.crc)?$")
_PARTITION = re.compile(r"^[^=]+=.*$")
DELTA_LOG = "_delta_log"
_MLLIB_PARTS = ("metadata", "data")


@dataclass(frozen=True)
class DataFiles:
    """Data below a folder: dataset directories (path -> number of files) and loose files."""

    directories: dict[str, int]
    files: tuple[str, ...]


def suffix(path: str) -> str:
    """The lower-cased last suffix of a path's name (`.parquet`), or ""."""
    name = path.rsplit("/", 1)[-1]
    return f".{name.rsplit('.', 1)[-1].lower()}" if "." in name else ""


def find_data(paths: Iterable[str], below: str = "") -> DataFiles:
    """Groups the data among `paths` (files, relative posix paths) below the folder `below`:
    a file inside a dataset directory counts for the outermost such directory."""
    paths = sorted(paths)
    dirs = {path.rsplit("/", 1)[0] for path in paths if "/" in path}
    marked = (_marked_root(path, dirs) for path in paths)
    roots = {root for root in marked if root is not None and _is_below(root, below)}
    directories: dict[str, int] = {}
    loose = []
    for path in paths:
        if not _is_data(path):
            continue
        home = _outermost_dataset_dir(path, roots, below)
        if home is None:
            if suffix(path) in DATA_SUFFIXES:
                loose.append(path)
        else:
            directories[home] = directories.get(home, 0) + 1
    return DataFiles(directories, tuple(loose))


def _is_data(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return (suffix(path) in DATA_SUFFIXES or bool(_SPARK_FILE.match(name))
            or f"/{DELTA_LOG}/" in f"/{path}")


def _marked_root(path: str, dirs: set[str]) -> str | None:
    """The dataset directory a Spark, Delta or MLlib file marks, or None."""
    parts = path.split("/")
    if DELTA_LOG in parts[:-1]:
        root = "/".join(parts[:parts.index(DELTA_LOG)])
    elif _SPARK_FILE.match(parts[-1]) and len(parts) > 1:
        root = "/".join(parts[:-1])
    else:
        return None
    while "/" in root and _PARTITION.match(root.rsplit("/", 1)[-1]):
        root = root.rsplit("/", 1)[0]
    parent, _, name = root.rpartition("/")
    if parent and name in _MLLIB_PARTS and f"{parent}/metadata" in dirs:
        return parent
    return root


def _outermost_dataset_dir(path: str, roots: set[str], below: str) -> str | None:
    parts = path.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if not _is_below(folder, below):
            continue
        if folder in roots or suffix(folder) in DATA_SUFFIXES:
            return folder
    return None


def _is_below(path: str, folder: str) -> bool:
    """Strictly inside `folder` ("" is the project root, which everything is below)."""
    return bool(path) and (not folder or path.startswith(f"{folder.rstrip('/')}/"))
