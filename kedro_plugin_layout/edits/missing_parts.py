"""The parts of a layout that are missing and safe to create, planned for `fix`, `init`
and `upgrade` (which plans the kedro-viz layers `fix` would add).

Only new files and folders, lines appended to `.gitignore`, and the kedro-viz layer of
each catalog dataset in a data folder that has none (lines added to its entry): nothing
here changes or deletes what a user wrote. What cannot be created safely (a missing
stage, a pipeline.py, a layer in a flow-style entry) is returned, one line each, for the
user instead. The parts are those `kedro layout check` asks for, read from the project's
manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kedro_ml_starter.manifest import folder_name
from kedro_plugin_layout.edits import scaffold
from kedro_plugin_layout.edits.catalog import with_layers
from kedro_plugin_layout.edits.plan import Plan
from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.project.gitignore import (
    GitignoreMatcher,
    gitignore_probes,
    layout_folders,
)
from kedro_plugin_layout.project.layers import missing_layer
from kedro_plugin_layout.project.model import Project, stage_test_file_name

GITIGNORE_HEADER = "# kedro layout: keep data and models out of git, keep their folders"


def plan_missing_parts(plan: Plan, project: Project) -> list[str]:
    """Adds to `plan` every missing part of the project's layout (its manifest's); returns
    what it cannot fix. A folder DVC restores gets no `.gitkeep` (`dvc pull` brings it
    back)."""
    root, manifest = project.root, project.manifest
    dvc = project.dvc()
    folders = [f"{manifest.data_root}/{d.folder}" for d in manifest.data]
    for folder in [*folders, manifest.models, manifest.notebooks]:
        if not _has_files(root / folder) and not dvc.restores(folder):
            plan.ensure_file(root, f"{folder}/.gitkeep", "")
    package_dir = project.package_dir
    if (root / package_dir).is_dir():
        plan.ensure_file(root, f"{project.utils_dir}/__init__.py", "")
        plan.ensure_file(root, f"{project.pipelines_dir}/__init__.py", "")
    left = [item for stage in manifest.stages for item in _stage_parts(plan, project, stage.folder)]
    left += _gitignore(plan, project)
    left += plan_layers(plan, project)
    return left


def plan_layers(plan: Plan, project: Project) -> list[str]:
    """Adds the kedro-viz layer of its folder to each dataset in a data folder that has none
    (see `layers`); returns the entries it cannot edit safely."""
    layers = catalog_layers(project)
    for source, text in layers.texts.items():
        plan.edit_file(project.root, source, text)
    return list(layers.left)


@dataclass(frozen=True)
class CatalogLayers:
    """The catalog files that get kedro-viz layers: each file's new text and the datasets
    it layers; and the entries left for the user, one line each."""

    texts: dict[str, str]
    datasets: dict[str, tuple[str, ...]]
    left: tuple[str, ...] = ()


def catalog_layers(project: Project) -> CatalogLayers:
    """What `plan_layers` writes, without planning it (`kedro layout upgrade` plans the
    same layers on the catalog as the upgrade leaves it)."""
    root, manifest = project.root, project.manifest
    try:
        entries = project.datasets()
    except ProjectReadError as exc:
        line = (f"kedro-viz layers: {exc.message}; fix the catalog and run `kedro layout "
                "fix` again")
        return CatalogLayers({}, {}, (line,))
    by_file: dict[str, dict[str, str]] = {}
    for entry in entries.values():
        expected = missing_layer(entry, manifest)
        if expected is not None and entry.source:
            by_file.setdefault(entry.source, {})[entry.name] = expected.layer
    texts: dict[str, str] = {}
    datasets: dict[str, tuple[str, ...]] = {}
    left: list[str] = []
    for source, layers in sorted(by_file.items()):
        skipped: tuple[str, ...] = tuple(layers)
        if source.endswith((".yml", ".yaml")):
            result = with_layers((root / source).read_text(encoding="utf-8"), layers)
            skipped = result.skipped
            layered = tuple(name for name in layers if name not in skipped)
            if layered:
                texts[source], datasets[source] = result.text, layered
        left += [f"dataset `{name}` in {source} has no kedro-viz layer and its entry cannot "
                 f"be edited safely: add `metadata: kedro-viz: layer: {layers[name]}` to it"
                 for name in skipped]
    return CatalogLayers(texts, datasets, tuple(left))


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


def _stage_parts(plan: Plan, project: Project, folder: str) -> list[str]:
    root, stage_dir = project.root, project.stage_dir(folder)
    if not (root / stage_dir).is_dir():
        return [(f"stage {folder} has no folder {stage_dir}/: create it with "
                 "`kedro layout add-stage`, or remove it from [tool.kedro_layout]")]
    left = []
    if not (root / stage_dir / "pipeline.py").is_file():
        left.append(f"stage {folder} has no pipeline.py: write {stage_dir}/pipeline.py "
                    "with create_pipeline()")
    elif not (root / stage_dir / "__init__.py").exists():
        plan.ensure_file(root, f"{stage_dir}/__init__.py", scaffold.stage_init_file(folder=folder))
    tests_dir = project.stage_tests_dir(folder)
    if not _has_tests(root / tests_dir):
        plan.ensure_package(root, project.tests_pipelines_dir)
        plan.ensure_file(root, f"{tests_dir}/__init__.py", "")
        plan.ensure_file(root, f"{tests_dir}/{stage_test_file_name(folder_name(folder))}",
                         scaffold.smoke_test_file(folder=folder, package=project.package))
    return left


def _has_tests(folder: Path) -> bool:
    return folder.is_dir() and any(
        p.name.startswith("test_") and p.suffix == ".py" for p in folder.rglob("*")
    )


def _gitignore(plan: Plan, project: Project) -> list[str]:
    """Appends the lines that keep data/models contents out of git and their folders in."""
    root, manifest = project.root, project.manifest
    probes = gitignore_probes(manifest, project.dvc())
    answer = project.ignored(probes)
    if all(answer[p] == (not p.endswith("/.gitkeep")) for p in probes):
        return []
    path = root / ".gitignore"
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    wanted = []
    for folder in _top_folders(layout_folders(manifest), manifest.data_root):
        wanted += [f"{folder}/**", f"!{folder}/**/"]
    present = {line.strip() for line in old.splitlines()}
    block = [line for line in wanted if line not in present] + ["!.gitkeep"]
    new = old + ("" if not old or old.endswith("\n") else "\n")
    new += ("\n" if old else "") + "\n".join([GITIGNORE_HEADER, *block]) + "\n"
    matcher = GitignoreMatcher(new.splitlines())
    if not all(matcher.ignored(p) == (not p.endswith("/.gitkeep")) for p in probes):
        return [(".gitignore excludes a data or models folder as a whole, so git cannot keep "
                 "it: replace `data/` by `data/**` and `!data/**/` (same for models) by hand")]
    if path.is_file():
        plan.edit_file(root, ".gitignore", new)
    else:
        plan.create_file(".gitignore", new)
    return []


def _top_folders(folders: list[str], data_root: str) -> list[str]:
    """The data root stands for every data folder; other folders (models) by themselves."""
    out = [data_root]
    out += [f for f in folders if not (f == data_root or f.startswith(f"{data_root}/"))]
    return out
