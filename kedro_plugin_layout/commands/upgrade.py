"""`kedro layout upgrade`: bring a project up to the installed template, keeping every
change its user made.

The project's template record says which version generated it, with which answers (a
0.1.0 project has none: they are inferred); both that version's template and the target's
are rendered with them, and every template file is decided three ways into one `Plan`
(`upgrade/plan.py`), applied as a transaction.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kedro_ml_starter.template_record import TemplateRecord, read_template_record
from kedro_plugin_layout.errors import UpgradeError
from kedro_plugin_layout.project.gitstate import refuse_unless_clean
from kedro_plugin_layout.project.model import Project, load_project, reads_project
from kedro_plugin_layout.upgrade.answers import (
    UNRECORDED_VERSION,
    Inferred,
    answers_of_each_render,
    check_answers,
    infer_answers,
    new_answers,
)
from kedro_plugin_layout.upgrade.data_contract import (
    TASK,
    crosses_to_contract,
    derive_contract,
)
from kedro_plugin_layout.upgrade.plan import (
    Upgrade,
    check_generated,
    check_overrides,
    plan_files,
    render_both,
)
from kedro_plugin_layout.upgrade.pyproject import PYPROJECT
from kedro_plugin_layout.upgrade.template_archive import TemplateShelf, parse_version


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
    project = load_project(root)
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
        old, new = render_both(project, record.version, target,
                               answers_of_each_render(record.answers, answers or {},
                                                      record.version),
                               from_path, shelf, scratch)
    check_overrides(answers or {}, old, new)
    if inferred:
        check_generated(project, old)
    contract = None
    if crosses_to_contract(project, old.files, new.files):
        with warnings.catch_warnings():
            # pandera imports pyspark.pandas when pyspark is installed, which warns about
            # pandas 3 at import: noise for a command that runs no Spark.
            warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas",
                                    FutureWarning)
            contract = derive_contract(project, old.files, new.files, _infer_contract,
                                       new.answers.get("task", TASK))
    changes, plan, layers = plan_files(project, old, new, TemplateRecord(target, new.answers),
                                       contract)
    added = new_answers(record.answers, new.answers, answers or {}, record.version)
    return Upgrade(record.version, target, new.answers, inferred, changes, plan, layers,
                   contract, added)


def _infer_contract(frame: Any, target: str, task: str) -> Any:
    """The contract `kedro layout use-data` would write for the raw rows (UseDataError, a
    UserError, when the rows cannot have one for that target and task)."""
    # pandas and pandera load only when an upgrade derives a data contract from raw data
    from kedro_plugin_layout.adopt.inference import infer

    return infer(frame, target, task=task).contract()


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


def _record(project: Project) -> tuple[TemplateRecord, tuple[Inferred, ...]]:
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


