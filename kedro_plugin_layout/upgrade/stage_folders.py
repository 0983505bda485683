"""Following stage folders the user renumbered (`kedro layout add-stage --after`).

The template renders its stages as `04_model_evaluation`, `05_api`; in the project they
may be `05_model_evaluation`, `06_api` now. Stages are matched by name through the
manifest, and both renders are renumbered the way add-stage renumbered the project: the
same folders renamed (the pipeline package, its tests, per-stage config) and the same
tokens replaced inside text files, with the same protection of data and model paths.
Then a file the user never touched compares equal to the old render, and the new
template's changes land in the folders where the project keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kedro_ml_starter.manifest import Manifest, folder_name
from kedro_plugin_layout.edits.references import (
    MAX_TEXT_BYTES,
    TEXT_SUFFIXES,
    renumber_scope,
    replace_tokens,
)
from kedro_plugin_layout.project.model import Project


def template_stage_folders(files: Iterable[str], pipelines_dir: str) -> set[str]:
    """The stage folders a render has under `pipelines_dir`."""
    prefix = f"{pipelines_dir}/"
    return {path[len(prefix):].split("/", 1)[0] for path in files
            if path.startswith(prefix) and "/" in path[len(prefix):]}


def stage_renames(template_folders: Iterable[str], manifest: Manifest) -> dict[str, str]:
    """Template stage folder → the project's folder of the stage with the same name."""
    renames = {}
    for folder in template_folders:
        stage = manifest.stage(folder_name(folder))
        if stage is not None and stage.folder != folder:
            renames[folder] = stage.folder
    return renames


def follow_renames(
    files: Mapping[str, bytes], renames: Mapping[str, str], project: Project
) -> dict[str, bytes]:
    """A render as add-stage would have renumbered it (see references.py)."""
    if not renames:
        return dict(files)
    scope = renumber_scope(project)
    out = {}
    for path, data in files.items():
        if _under(path, scope.path_tops):
            path = "/".join(replace_tokens(part, renames) for part in path.split("/"))
        if (_under(path, scope.text_tops) or path == "README.md") and _is_text_file(path, data):
            data = replace_tokens(data.decode("utf-8"), renames, scope.protect).encode("utf-8")
        out[path] = data
    return out


def _under(path: str, tops: Iterable[str]) -> bool:
    return any(not top or path.startswith(f"{top}/") for top in tops)


def _is_text_file(path: str, data: bytes) -> bool:
    suffix = path[path.rfind("."):] if "." in path.rsplit("/", 1)[-1] else ""
    if suffix not in TEXT_SUFFIXES or len(data) > MAX_TEXT_BYTES:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
