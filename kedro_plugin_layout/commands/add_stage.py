"""`kedro layout add-stage NAME`: scaffold a new stage, renumbering later ones if needed.

The whole change is one `Plan`: edits of the files that name a renumbered stage (made
where the files are now) and of the manifest, then the renames (last stage first, so
`05→06` frees the folder `04→05` moves into), then the new stage's files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from kedro_ml_starter.manifest import DataFolder, Manifest, Stage, default_manifest
from kedro_plugin_layout.edits import scaffold
from kedro_plugin_layout.edits.manifest import pyproject_with_manifest
from kedro_plugin_layout.edits.plan import Plan
from kedro_plugin_layout.edits.references import (
    renamed_paths,
    renumber_scope,
    text_edits,
    text_files,
)
from kedro_plugin_layout.edits.stages import (
    Placement,
    check_role,
    guess_role,
    place_stage,
    validate_stage_name,
)
from kedro_plugin_layout.errors import InvalidNameError, ManifestError, UnsafeEditError
from kedro_plugin_layout.kinds import DataRole
from kedro_plugin_layout.project.config import config_files, load_yaml
from kedro_plugin_layout.project.gitstate import refuse_unless_clean
from kedro_plugin_layout.project.model import (
    Project,
    load_project,
    reads_project,
    stage_test_file_name,
)


@dataclass(frozen=True)
class AddStage:
    """What `add-stage` will do: the plan, the new stage and the renumbered ones."""

    plan: Plan
    stage: Stage
    after: Stage | None
    renames: tuple[tuple[Stage, Stage], ...]
    data_folder: DataFolder | None


@reads_project
def plan_add_stage(
    root: Path,
    name: str,
    *,
    after: str | None = None,
    role: str | None = None,
    data_folder: bool = False,
    force: bool = False,
) -> AddStage:
    """Validates the request and plans every change; raises LayoutError, writing nothing."""
    name = validate_stage_name(name)
    role = check_role(role) if role else guess_role(name)
    project = load_project(root)
    manifest = _working_manifest(project)
    placement = place_stage(manifest, name, role, after)
    _check_free(project, placement, name)
    renames = {old.folder: new.folder for old, new in placement.renames}
    if renames and not force:
        refuse_unless_clean(project.root, "renumbering")
    plan = Plan()
    _plan_reference_edits(plan, project, renames)
    folder = _next_data_folder(manifest, name) if data_folder else None
    new_manifest = replace(
        manifest, stages=placement.stages,
        data=manifest.data + ((folder,) if folder else ()),
    )
    text = (project.root / "pyproject.toml").read_text(encoding="utf-8")
    plan.edit_file(project.root, "pyproject.toml",
                   pyproject_with_manifest(text, new_manifest, renames))
    _plan_renames(plan, project, placement)
    _plan_new_stage(plan, project, placement.stage, name)
    if folder:
        plan.ensure_dirs(project.root, project.data_dir(folder.folder))
        plan.create_file(f"{project.data_dir(folder.folder)}/.gitkeep", "")
    before = placement.stages[placement.index - 1] if placement.index > 0 else None
    return AddStage(plan, placement.stage, before, placement.renames, folder)


def add_stage(
    root: Path,
    name: str,
    *,
    after: str | None = None,
    role: str | None = None,
    data_folder: bool = False,
    force: bool = False,
) -> AddStage:
    """Plans and applies `add-stage`; the project is unchanged if anything fails."""
    result = plan_add_stage(root, name, after=after, role=role, data_folder=data_folder,
                            force=force)
    result.plan.apply(Path(root))
    return result


def _working_manifest(project: Project) -> Manifest:
    if project.has_manifest:
        return project.manifest
    default = default_manifest()
    if all(project.stage_exists(stage) for stage in default.stages):
        return default
    raise ManifestError(
        "has no [tool.kedro_layout] manifest and the default stages are not all there; "
        "run `kedro layout init` first",
        "pyproject.toml",
    )


def _check_free(project: Project, placement: Placement, name: str) -> None:
    stage_dir = project.stage_dir(placement.stage.folder)
    if (project.root / stage_dir).exists():
        raise InvalidNameError(f"{stage_dir} already exists; choose another stage name")
    for old, _ in placement.renames:
        if not project.stage_exists(old):
            raise UnsafeEditError(
                f"stage folder {project.stage_dir(old.folder)} is in the manifest but missing; "
                "restore it or remove it from [tool.kedro_layout] before renumbering"
            )
    parameters = f"conf/base/parameters_{name}.yml"
    if (project.root / parameters).exists():
        raise InvalidNameError(f"{parameters} already exists; choose another stage name")
    for path in _parameter_files(project.root / "conf"):
        if name in _top_level_keys(project.root, path):
            raise InvalidNameError(
                f"{path.relative_to(project.root).as_posix()} already defines parameters "
                f"`{name}:`; choose another stage name"
            )


def _parameter_files(conf: Path) -> list[Path]:
    """The files Kedro reads parameters from, in every environment of conf/."""
    envs = sorted(p for p in conf.iterdir() if p.is_dir()) if conf.is_dir() else []
    return [path for env in envs for path in config_files(env, "parameters")]


def _top_level_keys(root: Path, path: Path) -> set[str]:
    """The parameter names a file defines. A file that does not parse is refused (the
    new stage's name could clash with what it defines): ProjectReadError names it."""
    data, _ = load_yaml(root, path)
    return set(data)


def _plan_reference_edits(plan: Plan, project: Project, renames: dict[str, str]) -> None:
    if not renames:
        return
    scope = renumber_scope(project)
    files = text_files(project.root, scope.text_tops, extra=["README.md"])
    edits = text_edits(project.root, files, renames, scope.protect)
    for relative, text in sorted(edits.items()):
        plan.edit_file(project.root, relative, text)


def _plan_renames(plan: Plan, project: Project, placement: Placement) -> None:
    """Renames the later stages' folders, the last stage first."""
    tops = renumber_scope(project).path_tops
    for old, new in reversed(placement.renames):
        for src, dst in renamed_paths(project.root, tops, {old.folder: new.folder}):
            plan.rename(src, dst)


def _plan_new_stage(plan: Plan, project: Project, stage: Stage, name: str) -> None:
    root = project.root
    plan.ensure_package(root, project.pipelines_dir)
    stage_dir = project.stage_dir(stage.folder)
    plan.create_dir(stage_dir)
    files = scaffold.stage_files(
        name=name, folder=stage.folder, package=project.package, utils=project.manifest.utils
    )
    for file, content in files.items():
        plan.create_file(f"{stage_dir}/{file}", content)
    plan.ensure_dirs(root, "conf/base")
    plan.create_file(f"conf/base/parameters_{name}.yml", scaffold.parameters_file(name=name))
    plan.ensure_package(root, project.tests_pipelines_dir)
    tests_dir = project.stage_tests_dir(stage.folder)
    plan.create_dir(tests_dir)
    plan.create_file(f"{tests_dir}/__init__.py", "")
    plan.create_file(
        f"{tests_dir}/{stage_test_file_name(name)}",
        scaffold.stage_test_file(name=name, folder=stage.folder, package=project.package),
    )


def _next_data_folder(manifest: Manifest, name: str) -> DataFolder:
    numbers = [d.number for d in manifest.data if d.number is not None]
    number = max(numbers, default=0) + 1
    if number > 99:
        raise InvalidNameError("data folder numbers would pass 99; use an existing folder")
    return DataFolder(f"{number:02d}_{name}", DataRole.OTHER, f"data of the {name} stage")
