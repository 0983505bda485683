"""An upgrade's plan: bring a project up to a newer template, keeping every change its
user made (the command is `commands/upgrade.py`, its report `render/upgrade_report.py`).

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

import shutil
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from kedro import __version__ as INSTALLED_KEDRO

from kedro_ml_starter.template_record import TemplateRecord
from kedro_plugin_layout.edits.missing_parts import CatalogLayers, catalog_layers
from kedro_plugin_layout.edits.plan import Plan, resolve_inside
from kedro_plugin_layout.errors import UpgradeError
from kedro_plugin_layout.kinds import FileOutcome
from kedro_plugin_layout.project.config import CONF
from kedro_plugin_layout.project.model import Project
from kedro_plugin_layout.upgrade.answers import Inferred
from kedro_plugin_layout.upgrade.data_contract import CONTRACT_FILE, ContractSource
from kedro_plugin_layout.upgrade.moved_keys import carry
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
from kedro_plugin_layout.upgrade.template_archive import TemplateShelf, template_from
from kedro_plugin_layout.upgrade.three_way import (
    Decision,
    Labels,
    decide,
    is_config,
    is_opaque,
)


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
    contract: ContractSource | None = None  # when this upgrade writes the first contract
    added_answers: tuple[Inferred, ...] = ()  # asked by the new template, not recorded

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


def render_both(
    project: Project, current: str, target: str,
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
    kedro_version = str(project.kedro.get("kedro_init_version") or INSTALLED_KEDRO)
    old = render_template(old_template, current, answers[0], kedro_version, scratch / "old")
    new = render_template(new_template, target, answers[1], kedro_version, scratch / "new")
    return old, new


def check_overrides(overrides: Mapping[str, str], old: Rendered, new: Rendered) -> None:
    known = {*old.answers, *new.answers}
    for key in overrides:
        if key not in known:
            raise UpgradeError(f"--answer {key}: no template version asks it; the answers are "
                               f"{', '.join(sorted(known))}")


def check_generated(project: Project, old: Rendered) -> None:
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


def plan_files(
    project: Project, old: Rendered, new: Rendered, record: TemplateRecord,
    contract: ContractSource | None = None,
) -> tuple[tuple[FileChange, ...], Plan, CatalogLayers]:
    """Every template file decided three ways; `contract` replaces the new template's
    data contract with the one that describes the project's data (`data_contract.py`)."""
    root = project.root
    folders = template_stage_folders([*old.files, *new.files], project.pipelines_dir)
    renames = stage_renames(folders, project.manifest)
    base = follow_renames(old.files, renames, project)
    theirs = follow_renames(new.files, renames, project)
    if contract is not None:
        theirs[CONTRACT_FILE] = contract.text.encode("utf-8")
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
        versions = (path, old.version, new.version, theirs.get(path))
        decisions[path] = decide(_carried(base.get(path), *versions), theirs.get(path),
                                 _carried(yours, *versions),
                                 opaque=is_opaque(path, opaque_roots),
                                 entries=is_config(path), labels=labels)
    if contract is not None:
        _explain_contract(decisions, contract)
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


def _carried(data: bytes | None, path: str, old: str, new: str,
             theirs: bytes | None) -> bytes | None:
    """A version of a file with the keys the upgrade's versions moved or renamed carried
    to their new place (`moved_keys.py`), so the merge sees only real changes."""
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
        new_text = theirs.decode("utf-8") if theirs is not None else None
    except UnicodeDecodeError:
        return data
    return carry(path, text, old, new, new_text).encode("utf-8")


def _explain_contract(decisions: dict[str, Decision], contract: ContractSource) -> None:
    """The report says what the contract was derived from, and why a changed schema.py
    stays."""
    written = decisions.get(CONTRACT_FILE)
    if written is not None and not written.note:
        decisions[CONTRACT_FILE] = replace(written, note=contract.note)
    schema = decisions.get(contract.schema_path)
    if schema is not None and schema.outcome == FileOutcome.KEPT_CHANGED and contract.schema_note:
        decisions[contract.schema_path] = replace(schema, note=contract.schema_note)


def _layers_after(project: Project, decisions: Mapping[str, Decision]) -> CatalogLayers:
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
        return catalog_layers(project.at(scratch))


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
