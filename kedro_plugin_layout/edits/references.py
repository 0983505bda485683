"""Finding and rewriting the places that name a stage folder, for renumbering.

A renumbered stage is named in its folders (the pipeline package, its test package,
per-stage config files) and inside text files: `--pipelines` names, importlib strings
in tests (`penguin_lab.pipelines.04_model_evaluation.nodes`), catalog entries, README
mentions. Only the exact folder token is replaced (`04_model_evaluation`, not
`104_model_evaluation_v2`), all renames at once so `04→05, 05→06` cannot chain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kedro_plugin_layout.project.model import Project

SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache", ".git",
             ".venv", "build", "dist"}
TEXT_SUFFIXES = {
    ".py", ".yml", ".yaml", ".md", ".txt", ".cfg", ".ini", ".json", ".toml", ".rst", ".sh",
    ".ipynb",
}
MAX_TEXT_BYTES = 1_000_000
# How a kedro-viz layer is written in a catalog (`layer: 06_scoring`, quoted or not).
LAYER_PREFIXES = ("layer: ", 'layer: "', "layer: '")


@dataclass(frozen=True)
class RenumberScope:
    """Where renumbering a stage reaches: the folders whose paths are renamed, the folders
    whose text files (and README.md) get the token replaced, and the prefixes before which
    it never is. Data folders are never renamed: neither their paths nor the kedro-viz
    layers named for them change when a stage of the same name (`06_scoring`) is."""

    path_tops: tuple[str, ...]
    text_tops: tuple[str, ...]
    protect: tuple[str, ...]


def renumber_scope(project: Project) -> RenumberScope:
    """The scope `add-stage` renumbers in, which `upgrade` follows in both renders."""
    manifest = project.manifest
    return RenumberScope(
        path_tops=(project.pipelines_dir, manifest.tests, "conf"),
        text_tops=(project.source_dir, manifest.tests, "conf", manifest.notebooks),
        protect=(f"{manifest.data_root}/", f"{manifest.models}/", *LAYER_PREFIXES),
    )


def token_pattern(tokens: Iterable[str], protect: Iterable[str] = ()) -> re.Pattern[str]:
    """Matches any of the tokens where it is not part of a longer name, nor right after
    one of the `protect` prefixes (`data/`: a data folder that shares a stage's name)."""
    alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    guards = "".join(f"(?<!{re.escape(prefix)})" for prefix in protect)
    return re.compile(rf"(?<![A-Za-z0-9]){guards}(?:{alternatives})(?![A-Za-z0-9_])")


def replace_tokens(text: str, renames: Mapping[str, str], protect: Iterable[str] = ()) -> str:
    if not renames:
        return text
    return token_pattern(renames, protect).sub(lambda m: renames[m.group(0)], text)


def walk(root: Path, top: str) -> Iterable[Path]:
    """Files and folders under root/top, parents before children, skipping caches and links."""
    start = root / top
    if not start.is_dir() or start.is_symlink():
        return
    stack = [start]
    while stack:
        folder = stack.pop()
        for child in sorted(folder.iterdir()):
            if child.name in SKIP_DIRS or child.name.endswith(".egg-info") or child.is_symlink():
                continue
            yield child
            if child.is_dir():
                stack.append(child)


def renamed_paths(
    root: Path, tops: Iterable[str], renames: Mapping[str, str]
) -> list[tuple[str, str]]:
    """(old, new) relative paths whose own name holds an old token; top-most only."""
    pattern = token_pattern(renames)
    out: list[tuple[str, str]] = []
    for top in tops:
        for path in walk(root, top):
            relative = path.relative_to(root).as_posix()
            if any(relative.startswith(old + "/") for old, _ in out):
                continue
            if pattern.search(path.name):
                new_name = replace_tokens(path.name, renames)
                out.append((relative, path.with_name(new_name).relative_to(root).as_posix()))
    return out


def text_edits(
    root: Path, files: Iterable[str], renames: Mapping[str, str], protect: Iterable[str] = ()
) -> dict[str, str]:
    """New text of each text file that names an old token, by relative path."""
    protect = tuple(protect)
    pattern = token_pattern(renames, protect)
    out = {}
    for relative in files:
        path = root / relative
        if path.suffix not in TEXT_SUFFIXES or path.stat().st_size > MAX_TEXT_BYTES:
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        if pattern.search(text):
            out[relative] = replace_tokens(text, renames, protect)
    return out


def text_files(root: Path, tops: Iterable[str], extra: Iterable[str] = ()) -> list[str]:
    files = [
        path.relative_to(root).as_posix()
        for top in tops
        for path in walk(root, top)
        if path.is_file()
    ]
    files += [name for name in extra if (root / name).is_file() and not (root / name).is_symlink()]
    return files
