"""`kedro layout fix`: create the parts of the layout that are missing and safe to create.

Only new files and folders, lines appended to `.gitignore`, and the kedro-viz layer of
each catalog dataset in a data folder that has none (lines added to its entry): fix
never changes or deletes what a user wrote. What it cannot create safely (a missing
stage, a pipeline.py, a layer in a flow-style entry) is listed for the user instead. The
parts are those `kedro layout check` asks for, read from the manifest (the default
layout when the project has none, which fix then writes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kedro_plugin_layout import scaffold
from kedro_plugin_layout.catalog import catalog_entries, load_catalog
from kedro_plugin_layout.catalog_edit import with_layers
from kedro_plugin_layout.dvc import DvcTracked, dvc_files, read_dvc
from kedro_plugin_layout.errors import ProjectReadError
from kedro_plugin_layout.kedro_config import CONF
from kedro_plugin_layout.layers import missing_layer
from kedro_plugin_layout.manifest import Manifest, folder_name
from kedro_plugin_layout.manifest_edit import pyproject_with_manifest
from kedro_plugin_layout.paths import ProjectPaths, project_paths, reads_project
from kedro_plugin_layout.plan import CreateDir, CreateFile, EditFile, Plan

GITIGNORE_HEADER = "# kedro layout: keep data and models out of git, keep their folders"


@dataclass(frozen=True)
class Fix:
    """The plan of what fix creates, and what it leaves for the user (one line each)."""

    plan: Plan
    left: tuple[str, ...]
    layered: tuple[str, ...] = ()  # the catalog files that get kedro-viz layers

    def summary(self) -> str:
        ops = self.plan.operations
        dirs = sum(isinstance(op, CreateDir) for op in ops)
        files = sum(isinstance(op, CreateFile) for op in ops)
        edited = [op.path for op in ops if isinstance(op, EditFile)]
        appended = [path for path in edited if path not in self.layered]
        done = f"Fixed: created {_count(dirs, 'folder')} and {_count(files, 'file')}"
        done += f"; appended to {', '.join(appended)}" if appended else ""
        layered = [path for path in edited if path in self.layered]
        done += f"; added kedro-viz layers in {', '.join(layered)}." if layered else "."
        return "\n".join([done, *(f"Left for you: {item}" for item in self.left)])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@reads_project
def plan_fix(root: Path) -> Fix:
    """Plans the missing parts; raises LayoutError if the project cannot be read."""
    project = project_paths(root)
    plan = Plan()
    if not project.has_manifest:
        text = (project.root / "pyproject.toml").read_text(encoding="utf-8")
        plan.edit_file(project.root, "pyproject.toml",
                       pyproject_with_manifest(text, project.manifest))
    left = plan_missing_parts(plan, project, project.manifest)
    layered = tuple(op.path for op in plan.operations
                    if isinstance(op, EditFile) and op.path.startswith(f"{CONF}/"))
    return Fix(plan, tuple(left), layered)


def fix(root: Path) -> Fix:
    """Plans and applies fix; the project is unchanged if anything fails."""
    result = plan_fix(root)
    result.plan.apply(Path(root))
    return result


def plan_missing_parts(plan: Plan, project: ProjectPaths, manifest: Manifest,
                       dvc: DvcTracked | None = None) -> list[str]:
    """Adds to `plan` every missing part of `manifest`'s layout; returns what it cannot fix.
    A folder DVC restores gets no `.gitkeep` (`dvc pull` brings it back)."""
    root = project.root
    dvc = project_dvc(project, manifest) if dvc is None else dvc
    folders = [f"{manifest.data_root}/{d.folder}" for d in manifest.data]
    for folder in [*folders, manifest.models, manifest.notebooks]:
        if not _has_files(root / folder) and not dvc.restores(folder):
            plan.ensure_file(root, f"{folder}/.gitkeep", "")
    package_dir = project.package_dir
    if (root / package_dir).is_dir():
        plan.ensure_file(root, f"{project.utils_dir}/__init__.py", "")
        plan.ensure_file(root, f"{project.pipelines_dir}/__init__.py", "")
    left = [item for stage in manifest.stages for item in _stage_parts(plan, project, stage.folder)]
    left += _gitignore(plan, root, manifest, dvc)
    left += plan_layers(plan, root, manifest)
    return left


def project_dvc(project: ProjectPaths, manifest: Manifest) -> DvcTracked:
    """What DVC tracks in the project (nothing, quickly, in a project without DVC)."""
    from kedro_plugin_layout.facts import walk

    files = walk(project.root, {manifest.data_root, manifest.models}).files
    return read_dvc(project.root, dvc_files(project.root, files, manifest.data_root))


def plan_layers(plan: Plan, root: Path, manifest: Manifest) -> list[str]:
    """Adds the kedro-viz layer of its folder to each dataset in a data folder that has none
    (see `layers`); returns the entries it cannot edit safely."""
    layers = catalog_layers(root, manifest)
    for source, text in layers.texts.items():
        plan.edit_file(root, source, text)
    return list(layers.left)


@dataclass(frozen=True)
class CatalogLayers:
    """The catalog files that get kedro-viz layers: each file's new text and the datasets
    it layers; and the entries left for the user, one line each."""

    texts: dict[str, str]
    datasets: dict[str, tuple[str, ...]]
    left: tuple[str, ...] = ()


def catalog_layers(root: Path, manifest: Manifest) -> CatalogLayers:
    """What `plan_layers` writes, without planning it (`kedro layout upgrade` plans the
    same layers on the catalog as the upgrade leaves it)."""
    try:
        entries = catalog_entries(root, load_catalog(root))
    except ProjectReadError as exc:
        left = (f"kedro-viz layers: {exc.message}; fix the catalog and run `kedro layout "
                "fix` again")
        return CatalogLayers({}, {}, (left,))
    by_file: dict[str, dict[str, str]] = {}
    for entry in entries.values():
        expected = missing_layer(entry, manifest)
        if expected is not None and entry.source:
            by_file.setdefault(entry.source, {})[entry.name] = expected.layer
    texts, datasets, left = {}, {}, []
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


def _stage_parts(plan: Plan, project: ProjectPaths, folder: str) -> list[str]:
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
        plan.ensure_file(root, f"{tests_dir}/{scaffold.stage_test_file_name(folder_name(folder))}",
                         scaffold.smoke_test_file(folder=folder, package=project.package))
    return left


def _has_tests(folder: Path) -> bool:
    return folder.is_dir() and any(
        p.name.startswith("test_") and p.suffix == ".py" for p in folder.rglob("*")
    )


def _gitignore(plan: Plan, root: Path, manifest: Manifest, dvc: DvcTracked) -> list[str]:
    """Appends the lines that keep data/models contents out of git and their folders in."""
    from kedro_plugin_layout.facts import gitignore_probes, layout_folders
    from kedro_plugin_layout.gitignore import GitignoreMatcher, ignored_paths

    probes = gitignore_probes(manifest, dvc)
    answer, _ = ignored_paths(root, probes)
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
