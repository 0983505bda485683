"""Files a killed run cannot leave looking complete: an atomic write, then a record.

A versioned model file is written under a temporary name in its own folder and renamed
into place, so its final name appears only once every byte is written. Then a
completeness record, `<name>.complete` (JSON: size and SHA-256), is written the same way.
A file is complete when both exist and agree. Anything else is incomplete and readers
skip it: no record means the run stopped while saving; another size or digest means the
file was cut short or changed after the save.

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
    folder, name = _split(path)
    fs.makedirs(folder, exist_ok=True)
    record = {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest(), **notes}
    for target, data in ((path, content), (record_path(path), json.dumps(record).encode())):
        temporary = f"{folder}/.{name}.{uuid.uuid4().hex}.partial"
        with fs.open(temporary, "wb") as stream:
            stream.write(data)
            _sync(stream)
        fs.mv(temporary, target)


def incomplete_reason(fs: Any, path: str) -> str | None:
    """Why the file at `path` is not a complete save, or None if its size matches its record.

    Cheap (no file is read but the record), so it can run on every version at each
    look-up; `read_complete` compares the digest too.
    """
    _, name = _split(path)
    if not fs.exists(path):
        return f"{name} is missing"
    record = _record(fs, path)
    if record is None:
        return f"{name} has no completeness record (a run stopped while saving it)"
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
    if record is None or hashlib.sha256(content).hexdigest() != record["sha256"]:
        name = _split(path)[1]
        raise ValueError(f"{name} does not match its SHA-256 record (changed after the save)")
    return content, record


def _record(fs: Any, path: str) -> dict[str, Any] | None:
    try:
        record = json.loads(fs.cat_file(record_path(path)))
    except (FileNotFoundError, ValueError):
        return None
    ok = isinstance(record, dict) and isinstance(record.get("bytes"), int) and "sha256" in record
    return record if ok else None


def _split(path: str) -> tuple[str, str]:
    folder, _, name = path.rpartition("/")
    return folder, name


def _sync(stream: Any) -> None:
    try:
        stream.flush()
        os.fsync(stream.fileno())
    except (AttributeError, OSError, ValueError):  # not a local file: nothing to sync
        pass
