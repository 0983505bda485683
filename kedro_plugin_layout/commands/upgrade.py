"""`kedro layout upgrade`: bring a project up to the installed template, keeping every
change its user made.

As cruft and copier do for plain templates: the template of the version that generated
the project (its record in the manifest says which, and with which answers) and the
target version are both rendered with those answers, renumbered as the project's stages
are, and every template file is decided three ways (`upgrade/three_way.py`). The whole
change is one `Plan`, applied as a transaction: edits, removals, additions, and last
pyproject.toml with the new template record. The plan also adds the kedro-viz layers
`kedro layout fix` would add to the catalog as the upgrade leaves it (the user's own
entries, written before a newer version's rule asked for layers), so the upgraded
project checks clean.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from kedro_plugin_layout import __version__
from kedro_plugin_layout.commands.fix import CatalogLayers, catalog_layers
from kedro_plugin_layout.errors import UpgradeError
from kedro_plugin_layout.gitstate import refuse_unless_clean
from kedro_plugin_layout.kedro_config import CONF
from kedro_plugin_layout.kinds import FileOutcome
from kedro_plugin_layout.paths import ProjectPaths, project_paths, reads_project
from kedro_plugin_layout.plan import Plan, resolve_inside
from kedro_plugin_layout.template_record import TemplateRecord, read_template_record
from kedro_plugin_layout.upgrade.answers import (
    DERIVED,
    UNRECORDED_VERSION,
    Inferred,
    check_answers,
    infer_answers,
)
from kedro_plugin_layout.upgrade.pyproject import (
    PYPROJECT,
    block_with_record,
    manifest_block,
    with_block,
)
from kedro_plugin_layout.upgrade.render import Rendered, render_template
from kedro_plugin_layout.upgrade.stage_folders import (
    follow_renames,
    stage_renames,
    template_stage_folders,
)
from kedro_plugin_layout.upgrade.template_archive import (
    TemplateShelf,
    parse_version,
    template_from,
)
from kedro_plugin_layout.upgrade.three_way import Decision, Labels, decide, is_opaque

JSON_SCHEMA_VERSION = 1
# Listed one per line in the text report; the others are counted.
_LISTED = tuple(outcome for outcome in FileOutcome if outcome != FileOutcome.UNCHANGED)


@dataclass(frozen=True)
class FileChange:
    """What the upgrade does (or, with --dry-run, would do) to one template file."""

    path: str
    outcome: FileOutcome
    note: str = ""
    conflicts: int = 0


@dataclass(frozen=True)
class Upgrade:
    """The versions, the answers (and which were inferred), each file's fate, the plan."""

    from_version: str
    to_version: str
    answers: Mapping[str, str]
    inferred: tuple[Inferred, ...] = ()
    changes: tuple[FileChange, ...] = ()
    plan: Plan = field(default_factory=Plan)
    layers: CatalogLayers = field(default_factory=lambda: CatalogLayers({}, {}))

    @property
    def current(self) -> bool:
        """Already at the target version: nothing to do."""
        return self.from_version == self.to_version

    @property
    def conflicts(self) -> tuple[str, ...]:
        return tuple(c.path for c in self.changes if c.outcome == FileOutcome.CONFLICT)

    @property
    def exit_code(self) -> int:
        """1 when conflict markers are (or would be) left to resolve, else 0."""
        return 1 if self.conflicts else 0

    def counts(self) -> dict[FileOutcome, int]:
        counted = Counter(change.outcome for change in self.changes)
        return {outcome: counted[outcome] for outcome in FileOutcome if counted[outcome]}


@reads_project
def plan_upgrade(
    root: Path,
    *,
    to: str | None = None,
    from_path: Path | None = None,
    answers: Mapping[str, str] | None = None,
    shelf: TemplateShelf | None = None,
) -> Upgrade:
    """Renders both template versions and decides every file; writes nothing.

    Raises LayoutError (exit 2) when the project, a version or an answer is unusable.
    """
    shelf = shelf or TemplateShelf()
    project = project_paths(root)
    if not project.has_manifest:
        raise UpgradeError("has no [tool.kedro_layout] manifest, so no template generated "
                           "it as it is; run `kedro layout init` to adopt the layout",
                           project.root / PYPROJECT)
    record, inferred = _record(project)
    target = to or shelf.installed_version
    _check_versions(record.version, target, shelf, chosen_by_user=to is not None)
    chosen = {**record.answers, **(answers or {})}
    if parse_version(record.version) == parse_version(target):
        return Upgrade(record.version, record.version, chosen, inferred)
    check_answers(chosen, project)
    with tempfile.TemporaryDirectory(prefix="kedro-layout-upgrade-") as folder:
        scratch = Path(folder)
        old, new = _render_both(project, record.version, target,
                                _old_and_new_answers(record.answers, answers or {}),
                                from_path, shelf, scratch)
    _check_overrides(answers or {}, old, new)
    if inferred:
        _check_generated(project, old)
    changes, plan, layers = _plan_files(project, old, new, TemplateRecord(target, new.answers))
    return Upgrade(record.version, target, new.answers, inferred, changes, plan, layers)


def upgrade(
    root: Path,
    *,
    force: bool = False,
    to: str | None = None,
    from_path: Path | None = None,
    answers: Mapping[str, str] | None = None,
    shelf: TemplateShelf | None = None,
) -> Upgrade:
    """Plans the upgrade and applies it; the project is unchanged if anything fails, and
    untouched without --force when git cannot show what the upgrade did."""
    result = plan_upgrade(root, to=to, from_path=from_path, answers=answers, shelf=shelf)
    if result.plan:
        if not force:
            refuse_unless_clean(Path(root), "an upgrade",
                                outside="`git diff` shows what it did, `git checkout` undoes it")
        result.plan.apply(Path(root))
    return result


def _record(project: ProjectPaths) -> tuple[TemplateRecord, tuple[Inferred, ...]]:
    record = read_template_record(project.pyproject, project.root / PYPROJECT)
    if record is not None:
        return record, ()
    inferred = infer_answers(project)
    return TemplateRecord(UNRECORDED_VERSION, {i.key: i.value for i in inferred}), inferred


def _check_versions(current: str, target: str, shelf: TemplateShelf, *,
                    chosen_by_user: bool) -> None:
    if parse_version(target) < parse_version(current):
        if not chosen_by_user:
            raise UpgradeError(f"this project was generated by kedro-ml-structure {current}, "
                               f"newer than the installed {target}; install {current} or "
                               "newer to upgrade it")
        raise UpgradeError(f"--to {target} is older than {current}, the version that "
                           "generated this project; an upgrade never goes back")
    if parse_version(target) > parse_version(shelf.installed_version):
        raise UpgradeError(f"--to {target} is newer than the installed kedro-ml-structure "
                           f"{shelf.installed_version}; install {target} first")


def _render_both(
    project: ProjectPaths, current: str, target: str,
    answers: tuple[Mapping[str, str], Mapping[str, str]],
    from_path: Path | None, shelf: TemplateShelf, scratch: Path,
) -> tuple[Rendered, Rendered]:
    """The old and the new template, each rendered with its answers (old, new)."""
    if from_path is not None:
        found = template_from(from_path, scratch / "from")
        if found.version != current:
            raise UpgradeError(f"holds version {found.version}, but version {current} "
                               f"generated this project; pass a wheel, sdist or checkout of "
                               f"{current}", from_path)
        old_template = found.template
    else:
        old_template = shelf.template(current, scratch / "old-template")
    new_template = shelf.template(target, scratch / "new-template")
    kedro_version = str(project.kedro.get("kedro_init_version") or _kedro_version())
    old = render_template(old_template, current, answers[0], kedro_version, scratch / "old")
    new = render_template(new_template, target, answers[1], kedro_version, scratch / "new")
    return old, new


def _old_and_new_answers(recorded: Mapping[str, str], overrides: Mapping[str, str]
                         ) -> tuple[dict[str, str], dict[str, str]]:
    """The answers of each render. A derived answer (`DERIVED`) renders the old template
    as recorded, since that is what generation wrote, and the new one as derived again
    now, or as --answer gives it."""
    kept = {key: value for key, value in overrides.items() if key not in DERIVED}
    fresh = {key: value for key, value in recorded.items() if key not in DERIVED}
    return {**recorded, **kept}, {**fresh, **overrides}


def _kedro_version() -> str:
    from kedro import __version__ as kedro_version

    return kedro_version


def _check_overrides(overrides: Mapping[str, str], old: Rendered, new: Rendered) -> None:
    known = {*old.answers, *new.answers}
    for key in overrides:
        if key not in known:
            raise UpgradeError(f"--answer {key}: no template version asks it; the answers are "
                               f"{', '.join(sorted(known))}")


def _check_generated(project: ProjectPaths, old: Rendered) -> None:
    """A project without a record must look generated: `kedro layout init` adopts other
    projects, and merging the starter's files into one of those would wreck it."""
    present = sum((project.root / path).is_file() for path in old.files)
    if present * 2 < len(old.files):
        raise UpgradeError(
            f"has no template record and only {present} of the {len(old.files)} files the "
            f"ml-structure {old.version} template generates: the starter did not make this "
            "project, so there is nothing to upgrade", project.root / PYPROJECT
        )


# -- deciding each file ------------------------------------------------------------------


def _plan_files(
    project: ProjectPaths, old: Rendered, new: Rendered, record: TemplateRecord
) -> tuple[tuple[FileChange, ...], Plan, CatalogLayers]:
    root = project.root
    folders = template_stage_folders([*old.files, *new.files], project.pipelines_dir)
    renames = stage_renames(folders, project.manifest)
    base = follow_renames(old.files, renames, project)
    theirs = follow_renames(new.files, renames, project)
    _add_manifest_block(root, base, theirs, record)
    labels = Labels(yours="yours", theirs=f"template {new.version}")
    opaque_roots = (project.manifest.data_root, project.manifest.models)
    decisions = {}
    for path in sorted({*base, *theirs}):
        target = resolve_inside(root, path)
        if target.is_symlink() or (target.exists() and not target.is_file()):
            decisions[path] = Decision(FileOutcome.KEPT_YOURS,
                                       note="not a regular file in your project: left as it is")
            continue
        yours = target.read_bytes() if target.exists() else None
        decisions[path] = decide(base.get(path), theirs.get(path), yours,
                                 opaque=is_opaque(path, opaque_roots), labels=labels)
    changes = tuple(FileChange(path, d.outcome, d.note, d.conflicts)
                    for path, d in decisions.items())
    layers = _layers_after(project, decisions)
    layer_only = {}
    for path, text in layers.texts.items():
        decision = decisions.get(path)
        if decision is not None and decision.outcome.writes:
            decisions[path] = replace(decision, content=text.encode("utf-8"))
        else:
            layer_only[path] = text
    return changes, _plan(root, decisions, layer_only), layers


def _layers_after(project: ProjectPaths, decisions: Mapping[str, Decision]) -> CatalogLayers:
    """The kedro-viz layers `kedro layout fix` would add to the catalog as the upgrade
    leaves it, found on a scratch copy of conf/ holding the upgraded files."""
    root = project.root
    with tempfile.TemporaryDirectory(prefix="kedro-layout-layers-") as folder:
        scratch = Path(folder)
        if (root / CONF).is_dir():
            shutil.copytree(root / CONF, scratch / CONF, symlinks=True)
        for path, decision in decisions.items():
            if not path.startswith(f"{CONF}/"):
                continue
            target = scratch / path
            if decision.outcome == FileOutcome.REMOVED:
                target.unlink(missing_ok=True)
            elif decision.outcome.writes and decision.content is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(decision.content)
        return catalog_layers(scratch, project.manifest)


def _add_manifest_block(
    root: Path, base: dict[str, bytes], theirs: dict[str, bytes], record: TemplateRecord
) -> None:
    """Both renders get the project's manifest block; only the new one the new record."""
    text = (root / PYPROJECT).read_text(encoding="utf-8")
    block = manifest_block(text)
    if block is None:
        raise UpgradeError("has [tool.kedro_layout] written inline; write it as "
                           "[tool.kedro_layout] tables so the upgrade can update it",
                           root / PYPROJECT)
    for files, manifest in ((base, block.text), (theirs, block_with_record(block.text, record))):
        template = files.get(PYPROJECT, b"").decode("utf-8")
        files[PYPROJECT] = with_block(template, block, manifest).encode("utf-8")


def _plan(root: Path, decisions: Mapping[str, Decision],
          layer_only: Mapping[str, str]) -> Plan:
    """Edits (the template's, then the layers of catalog files it leaves alone), then
    removals (and the folders they empty, unless an added file goes there), then
    additions (a module may become a package); pyproject.toml last."""
    plan = Plan()
    for path, decision in decisions.items():
        if decision.outcome.writes and decision.outcome != FileOutcome.ADDED \
                and path != PYPROJECT:
            plan.edit_file(root, path, _content(decision.content))
    for path, text in layer_only.items():
        plan.edit_file(root, path, text)
    removed = [path for path, d in decisions.items() if d.outcome == FileOutcome.REMOVED]
    added = [path for path, d in decisions.items() if d.outcome == FileOutcome.ADDED]
    for path in removed:
        plan.delete_file(root, path)
    needed = {parent.as_posix() for path in added for parent in Path(path).parents}
    for folder in _emptied_folders(root, set(removed)):
        if folder not in needed:
            plan.delete_dir(folder)
    for path in added:
        plan.ensure_file(root, path, _content(decisions[path].content))
    manifest = decisions.get(PYPROJECT)
    if manifest is not None and manifest.outcome.writes:
        plan.edit_file(root, PYPROJECT, _content(manifest.content))
    return plan


def _content(data: bytes | None) -> str | bytes:
    assert data is not None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _emptied_folders(root: Path, removed: set[str]) -> list[str]:
    """Folders holding nothing once the removed files are gone, deepest first."""
    parents = {str(Path(path).parents[i].as_posix()) for path in removed
               for i in range(len(Path(path).parents) - 1)}
    emptied: set[str] = set()
    for folder in sorted(parents, key=lambda f: f.count("/"), reverse=True):
        entries = [f"{folder}/{name.name}" for name in (root / folder).iterdir()]
        if all(entry in removed or entry in emptied for entry in entries):
            emptied.add(folder)
    return sorted(emptied, key=lambda f: f.count("/"), reverse=True)


# -- reporting ---------------------------------------------------------------------------

_VERB = {
    FileOutcome.UPDATED: "updated", FileOutcome.MERGED: "merged",
    FileOutcome.CONFLICT: "conflict", FileOutcome.ADDED: "added",
    FileOutcome.REMOVED: "removed", FileOutcome.KEPT_DELETED: "kept deleted",
    FileOutcome.KEPT_CHANGED: "kept", FileOutcome.KEPT_YOURS: "kept yours",
    FileOutcome.UNCHANGED: "unchanged",
}


def render_text(result: Upgrade, dry_run: bool) -> str:
    """The report a person reads: what was inferred, each file, the counts, the conflicts."""
    lines = []
    if result.inferred:
        lines.append(f"No template record in [tool.kedro_layout]: this project was generated "
                     f"by {result.from_version}, with answers inferred from the project:")
        lines += [f"  {i.key} = {i.value!r}  ({i.source})" for i in result.inferred]
        lines.append("  (correct one with --answer KEY=VALUE)")
    if result.current:
        lines.append(f"Already at template {result.to_version}: nothing to do.")
        return "\n".join(lines)
    head = "Dry run: nothing was written. Upgrading" if dry_run else "Upgraded"
    lines.append(f"{head} from template {result.from_version} to {result.to_version}:")
    shown = [c for c in result.changes if c.outcome in _LISTED
             and not (c.outcome == FileOutcome.KEPT_DELETED and not c.note)]
    width = max((len(_VERB[c.outcome]) for c in shown), default=0)
    for change in shown:
        note = f"  ({change.note})" if change.note else ""
        lines.append(f"  {_VERB[change.outcome]:<{width}}  {change.path}{note}")
    layered = result.layers
    for path, names in layered.datasets.items():
        lines.append(f"  {'layers':<{width}}  {path}  (kedro-viz layer added to "
                     f"{', '.join(names)}, as `kedro layout fix` adds it)")
    counts = ", ".join(f"{n} {_VERB[outcome]}" for outcome, n in result.counts().items())
    lines.append(f"Files: {counts}.")
    lines += [f"Left for you: {item}" for item in layered.left]
    if result.conflicts:
        lines.append("Conflicts: resolve the <<<<<<< / ======= / >>>>>>> markers in:")
        lines += [f"  {path}" for path in result.conflicts]
    elif not dry_run:
        lines.append("Review the change with `git diff`, run `kedro layout check`, commit.")
    return "\n".join(lines)


def render_json(result: Upgrade, dry_run: bool) -> str:
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "kedro-layout", "version": __version__},
        "dry_run": dry_run,
        "from_version": result.from_version,
        "to_version": result.to_version,
        "answers": dict(result.answers),
        "inferred": [asdict(i) for i in result.inferred],
        "summary": {str(outcome): n for outcome, n in result.counts().items()},
        "files": [{"path": c.path, "outcome": str(c.outcome), "note": c.note,
                   "conflicts": c.conflicts} for c in result.changes],
        "conflicts": list(result.conflicts),
        "layers": [{"path": path, "datasets": list(names)}
                   for path, names in result.layers.datasets.items()],
        "left": list(result.layers.left),
    }
    return json.dumps(document, indent=2) + "\n"
