"""The package names a requirements file asks for, as pip reads the file.

Each line is a PEP 508 requirement (`kedro~=1.7.0`, `kedro[pandas] @ git+https://…`,
`scikit-learn ; python_version >= "3.10"`), possibly followed by per-requirement options
(`--hash=…`) and continued with a trailing backslash; `-r FILE` includes another file;
`-e URL#egg=NAME` and bare URLs name their package in the `#egg=` fragment or in the
wheel or sdist file they point at, or not at all.
Comments start at a `#` that begins the line or follows whitespace (a URL's `#egg=` does
not). Names are normalised as PEP 503 does (`Kedro_Datasets` is `kedro-datasets`).

`packaging.requirements` parses every line that is more than a name with extras and
version specifiers; those plain lines, nearly all of them, are read with one regular
expression, because importing `packaging` costs as much as a fifth of a lite check.
"""

from __future__ import annotations

import re
from pathlib import Path

from kedro_plugin_layout.errors import ProjectReadError

_COMMENT = re.compile(r"(?:^|\s)#.*$")
_PLAIN = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[A-Za-z0-9._,\s-]*\])?"
    r"\s*(?:(?:===|~=|==|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+"
    r"(?:\s*,\s*(?:===|~=|==|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+)*)?\s*$"
)
_EGG = re.compile(r"[#&]egg=(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)")
_INCLUDE = ("-r", "--requirement")
_EDITABLE = ("-e", "--editable")
_MAX_INCLUDES = 20


def normalise(name: str) -> str:
    """PEP 503: lower case, runs of `-`, `_` and `.` as one `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(path: Path, root: Path | None = None) -> tuple[str, ...]:
    """Every package `path` asks for, following `-r` includes inside `root` (default: the
    file's folder). Raises ProjectReadError naming a file that cannot be read."""
    root = (root or path.parent).resolve()
    names: list[str] = []
    pending: list[Path] = [path]
    seen: set[Path] = set()
    while pending and len(seen) < _MAX_INCLUDES:
        current = pending.pop(0).resolve()
        if current in seen or not current.is_relative_to(root):
            continue
        seen.add(current)
        for line in _logical_lines(_read(current, root)):
            option, _, value = line.partition(" ")
            if option in _INCLUDE or line.startswith("--requirement="):
                target = value.strip() or line.split("=", 1)[-1]
                pending.append(current.parent / target)
            elif option in _EDITABLE:
                name = _egg(value.strip())
                names += [name] if name else []
            elif not line.startswith("-"):
                name = requirement_name(line)
                names += [name] if name else []
    return tuple(names)


def requirement_name(line: str) -> str | None:
    """The normalised package name of one requirement line, or None when the line names
    none (a bare URL or path without `#egg=`, or text that is not a requirement)."""
    line = re.split(r"\s--?[a-z]", f" {line}", maxsplit=1)[0].strip()  # per-line options
    plain = _PLAIN.match(line)
    if plain:
        return normalise(plain["name"])
    # packaging loads only when a requirement line is parsed: the lite check stays light
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return normalise(Requirement(line).name)
    except InvalidRequirement:
        return _egg(line)


def _egg(reference: str) -> str | None:
    """The name in a URL's `#egg=` fragment, or in the wheel or sdist file it points at."""
    match = _EGG.search(reference)
    if match:
        return normalise(match["name"])
    # packaging loads only when a requirement line is parsed: the lite check stays light
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    filename = reference.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[0])
        if filename.endswith((".tar.gz", ".zip")):
            return str(parse_sdist_filename(filename)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


def _logical_lines(text: str) -> list[str]:
    """Lines without comments, with backslash continuations joined, blank ones dropped."""
    out, pending = [], ""
    for raw in text.splitlines():
        line = _COMMENT.sub("", raw).rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = (pending + line).strip(), ""
        if line:
            out.append(" ".join(line.split()))
    if pending.strip():
        out.append(" ".join(pending.split()))
    return out


def _read(path: Path, root: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""  # a missing include: pip says so when the user installs
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectReadError(f"cannot be read ({exc}); fix the file",
                               path.relative_to(root).as_posix()) from None


__all__ = ["normalise", "requirement_name", "requirement_names"]
