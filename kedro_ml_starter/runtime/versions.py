"""Files a killed run cannot leave looking complete: an atomic write, then a record.

A versioned model file is written under a temporary name in its own folder and renamed
into place, so its final name appears only once every byte is written. Then a
completeness record, `<name>.complete` (JSON: size and SHA-256), is written the same way.
A file is complete when both exist and agree. Anything else is incomplete and readers
skip it: no record means the run stopped while saving; another size or digest means the
file was cut short or changed after the save.

A model saved as a folder by its own writer (Spark ML) gets its record once the writer
has finished (`record_folder`: each file's size); the folder is complete when it holds
exactly the files its record lists, at their sizes.

Plain fsspec calls: on the local disk the rename is atomic, on an object store a single
upload is.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from typing import Any

RECORD_SUFFIX = ".complete"


def record_path(path: str) -> str:
    return path + RECORD_SUFFIX


def write_complete(fs: Any, path: str, content: bytes, **notes: str) -> None:
    """Writes `content` to `path`, then its record (with `notes`), each under a temporary
    name first."""
    fs.makedirs(_split(path)[0], exist_ok=True)
    record = {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest(), **notes}
    _write_atomically(fs, path, content)
    _write_atomically(fs, record_path(path), json.dumps(record).encode())


def record_folder(fs: Any, path: str) -> None:
    """Writes the record of the finished folder at `path`: the size of each file in it."""
    _write_atomically(fs, record_path(path), json.dumps({"files": _sizes(fs, path)}).encode())


def folder_incomplete_reason(fs: Any, path: str) -> str | None:
    """Why the folder at `path` is not a complete save, or None if it holds exactly the
    files its record lists, at their sizes (a listing: no file is read but the record)."""
    name, record = _split(path)[1], _record_of(fs, path, fs.isdir(path), "files", dict)
    if isinstance(record, str):
        return record
    expected, found = record["files"], _sizes(fs, path)
    missing = sorted(set(expected) - set(found))
    if missing:
        return f"{name} lacks {len(missing)} of its {len(expected)} files ({missing[0]}, ...)"
    for file, size in sorted(found.items()):
        if file not in expected:
            return f"{name} has a file its record does not list ({file}: changed after the save)"
        if size != expected[file]:
            return f"{name}/{file} has {size} of its {expected[file]} bytes (cut short)"
    return None


def incomplete_reason(fs: Any, path: str) -> str | None:
    """Why the file at `path` is not a complete save, or None if its size matches its record.

    Cheap (no file is read but the record), so it can run on every version at each
    look-up; `read_complete` compares the digest too.
    """
    name, record = _split(path)[1], _record_of(fs, path, fs.exists(path), "bytes", int)
    if isinstance(record, str):
        return record
    size = fs.size(path)
    if size != record["bytes"]:
        return f"{name} has {size} of its {record['bytes']} bytes (cut short)"
    return None


def read_complete(fs: Any, path: str) -> tuple[bytes, dict[str, Any]]:
    """The bytes of a complete file and its record, or ValueError saying why it is not
    complete."""
    reason = incomplete_reason(fs, path)
    if reason:
        raise ValueError(reason)
    content = fs.cat_file(path)
    record = _record(fs, path)
    if record is None or hashlib.sha256(content).hexdigest() != record.get("sha256"):
        name = _split(path)[1]
        raise ValueError(f"{name} does not match its SHA-256 record (changed after the save)")
    return content, record


def _record_of(fs: Any, path: str, present: bool, key: str,
               kind: type) -> dict[str, Any] | str:
    """The record of what is at `path` (`key` holding a `kind`), or why none is usable."""
    name = _split(path)[1]
    if not present:
        return f"{name} is missing"
    record = _record(fs, path)
    if record is None or not isinstance(record.get(key), kind):
        return f"{name} has no completeness record (a run stopped while saving it)"
    return record


def _record(fs: Any, path: str) -> dict[str, Any] | None:
    try:
        record = json.loads(fs.cat_file(record_path(path)))
    except (FileNotFoundError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _write_atomically(fs: Any, path: str, data: bytes) -> None:
    """`data` under a temporary name in the same folder, then renamed to `path`."""
    folder, name = _split(path)
    temporary = f"{folder}/.{name}.{uuid.uuid4().hex}.partial"
    with fs.open(temporary, "wb") as stream:
        stream.write(data)
        _sync(stream)
    fs.mv(temporary, path)


def _sizes(fs: Any, folder: str) -> dict[str, int]:
    """Each file under `folder` (path relative to it) and its size."""
    root = fs._strip_protocol(folder).rstrip("/")
    return {str(path)[len(root) + 1:]: int(info["size"])
            for path, info in fs.find(folder, detail=True).items()}


def _split(path: str) -> tuple[str, str]:
    folder, _, name = path.rpartition("/")
    return folder, name


def _sync(stream: Any) -> None:
    try:
        stream.flush()
        os.fsync(stream.fileno())
    except (AttributeError, OSError, ValueError):  # not a local file: nothing to sync
        pass
