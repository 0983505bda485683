"""The `kedro layout` command group: a thin CLI over the typed API in `commands/`.

Kedro imports this module on every `kedro` call inside a project, so it imports only
click and leaf modules at module level (the choices in `kinds`, the errors, and `render`,
which loads each renderer when its command runs); each command imports its
implementation when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kedro_ml_starter.errors import UserError
from kedro_plugin_layout import render
from kedro_plugin_layout.errors import LayoutError
from kedro_plugin_layout.kinds import ImportMode, OutputFormat, StageRole, StageStyle, values

if TYPE_CHECKING:  # annotations only: a command's code loads when the command runs
    from kedro_plugin_layout.edits.plan import Plan


class _LayoutGroup(click.Group):
    """Prints a user's mistake (`kedro_ml_starter.errors.UserError`, which the library
    raises) as one `Error:` line with its exit code (2), never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UserError as error:
            raise _Failure(error.message) from None


class _Failure(click.ClickException):
    """A user's mistake as click prints it: `Error: <message>`, exit code 2 (the project or
    the command line could not be read)."""

    exit_code = 2


@click.group(name="Kedro-Layout")
def commands() -> None:
    """Entry point for `kedro.project_commands`."""


@commands.group(cls=_LayoutGroup)
def layout() -> None:
    """Audit and extend the numbered ML project layout."""


def _rule_ids(values: tuple[str, ...]) -> list[str]:
    """`--select KL1,KL402 --select KL5` → ["KL1", "KL402", "KL5"]."""
    return [v.strip().upper() for value in values for v in value.split(",") if v.strip()]


@layout.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(values(OutputFormat)),
              default=OutputFormat.TEXT.value, show_default=True, help="Output format.")
@click.option("--select", multiple=True, metavar="IDS",
              help="Only these rules: ids or prefixes, comma-separated (e.g. KL4,KL101).")
@click.option("--ignore", multiple=True, metavar="IDS",
              help="Leave out these rules: ids or prefixes, comma-separated.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to "
              "this file instead of stdout (the summary line is still printed).")
@click.option("--env", "-e", default=None, help="Kedro config environment merged over "
              "conf/base for the catalog (default: local).")
@click.option("--sarif-prefix", default="", metavar="DIR", help="For --format sarif: the "
              "project's folder inside the repository, prepended to every location.")
@click.option("--import-mode", type=click.Choice(values(ImportMode)),
              default=ImportMode.AUTO.value, show_default=True,
              help="How the data-flow rules read the pipelines: lite (stand-ins for every "
                   "third-party module, no project dependency needed), full (the project's "
                   "dependencies imported), auto (lite, full for a stage lite cannot build).")
@click.pass_obj
def check(metadata: object, path: str | None, fmt: str, select: tuple[str, ...],
          ignore: tuple[str, ...], output: str | None, env: str | None,
          sarif_prefix: str, import_mode: str) -> None:
    """Check the project at PATH (default: this project) against its layout.

    Exit codes: 0 no findings, 1 findings, 2 the project or the options could not be read.
    """
    # loaded when the command runs: Kedro imports this module on every `kedro` call
    from kedro_plugin_layout.commands.check import check as check_project

    root = Path(path) if path else _project_root(metadata)
    report = check_project(root, _rule_ids(select), _rule_ids(ignore), env=env,
                           import_mode=ImportMode(import_mode))
    if output:
        _write_output(output, render.render(report, fmt, sarif_prefix=sarif_prefix),
                      "cannot write the report")
        click.echo(render.summary(report))
    else:
        click.echo(render.render(report, fmt, color=render.use_color(),
                                 sarif_prefix=sarif_prefix), nl=False)
    click.get_current_context().exit(report.exit_code)


@layout.command("rules")
@click.option("--format", "fmt", type=click.Choice([OutputFormat.TEXT.value,
              OutputFormat.JSON.value]), default=OutputFormat.TEXT.value,
              show_default=True, help="Output format.")
def rules(fmt: str) -> None:
    """List every rule of `kedro layout check`: id, family, description.

    `--format json` adds each rule's details, how to fix it, the rules it requires and
    the facts it needs (with what each fact is).

    Exits 1 when a rule plugin (entry point group `kedro_layout.rules`) failed to load.
    """
    # loaded when the command runs: Kedro imports this module on every `kedro` call
    from kedro_plugin_layout.commands.rules import list_rules

    registry = list_rules()
    click.echo(render.rules(registry, fmt), nl=False)
    for error in registry.errors:
        click.echo(f"rule plugin {error.name} ({error.target}) failed to load: {error.error}",
                   err=True)
    click.get_current_context().exit(1 if registry.errors else 0)


@layout.command("add-stage")
@click.argument("name")
@click.option("--after", metavar="STAGE", help="Insert after this stage (folder or name) "
              "and renumber the later ones. Default: after the last stage.")
@click.option("--role", type=click.Choice(values(StageRole)), help="The stage's role "
              "(default: guessed from the name, else other).")
@click.option("--data-folder", is_flag=True, help="Also create a numbered data folder for it.")
@click.option("--dry-run", is_flag=True, help="Print the exact plan and write nothing.")
@click.option("--force", is_flag=True, help="Renumber even if git shows uncommitted changes.")
@click.pass_obj
def add_stage(metadata: object, name: str, after: str | None, role: str | None,
              data_folder: bool, dry_run: bool, force: bool) -> None:
    """Scaffold a new stage NAME (e.g. hyperparameter_tuning): pipeline, parameters, tests."""
    # loaded when the command runs: Kedro imports this module on every `kedro` call
    from kedro_plugin_layout.commands.add_stage import plan_add_stage

    root = _project_root(metadata)
    result = plan_add_stage(root, name, after=after, role=role, data_folder=data_folder,
                            force=force)
    _apply_or_show(result.plan, root, dry_run, lambda: render.added_stage(result))


@layout.command("fix")
@click.option("--dry-run", is_flag=True, help="Print the exact plan and write nothing.")
@click.pass_obj
def fix(metadata: object, dry_run: bool) -> None:
    """Create the missing parts of the layout; never edit or delete existing content."""
    # loaded when the command runs: Kedro imports this module on every `kedro` call
    from kedro_plugin_layout.commands.fix import plan_fix

    root = _project_root(metadata)
    result = plan_fix(root)
    _apply_or_show(result.plan, root, dry_run, lambda: render.fixed(result))
    if result.left and (dry_run or not result.plan):
        click.echo(render.left_for_user(result.left))


@layout.command("init")
@click.option("--stage-style", type=click.Choice(values(StageStyle)),
              help="Stage folder style when it cannot be inferred (default: numbered when "
                   "there are no stages or all are numbered, else plain).")
@click.option("--dry-run", is_flag=True, help="Print the exact plan and write nothing.")
@click.pass_obj
def init(metadata: object, stage_style: str | None, dry_run: bool) -> None:
    """Adopt the layout in an existing Kedro project: write the manifest and missing folders."""
    # loaded when the command runs: Kedro imports this module on every `kedro` call
    from kedro_plugin_layout.commands.init import plan_init

    root = _project_root(metadata)
    result = plan_init(root, stage_style)
    click.echo(render.inferred(result))
    _apply_or_show(result.plan, root, dry_run, lambda: render.INITIALISED,
                   verify=result.verify)


@layout.command("tree")
@click.option("--format", "fmt", type=click.Choice([OutputFormat.TEXT.value,
              OutputFormat.JSON.value]), default=OutputFormat.TEXT.value,
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the tree to this file instead of stdout.")
@click.pass_obj
def tree(metadata: object, fmt: str, output: str | None) -> None:
    """Show the layout: stages in order with nodes, inputs and outputs; data folders."""
    # loaded when the command runs: Kedro imports this module on every `kedro` call
    from kedro_plugin_layout.commands.tree import layout_tree

    text = render.tree(layout_tree(_project_root(metadata)), fmt)
    if output:
        _write_output(output, text + "\n", "cannot be written")
        click.echo(f"Wrote the layout tree to {output}.")
    else:
        click.echo(text)


@layout.command("upgrade")
@click.option("--to", "to_version", metavar="VERSION", help="Upgrade to this version's "
              "template (default: the installed one); never older than the recorded one.")
@click.option("--from", "from_path", type=click.Path(exists=True), metavar="PATH",
              help="A wheel, sdist or checkout of the version that generated the project, "
                   "when this installation does not ship its template.")
@click.option("--answer", "answers", multiple=True, metavar="KEY=VALUE",
              help="Correct a recorded or inferred answer (e.g. engine=spark); repeatable.")
@click.option("--dry-run", is_flag=True, help="Print what would happen to each file; write "
              "nothing.")
@click.option("--force", is_flag=True, help="Upgrade even if git shows uncommitted changes, "
              "cannot tell, or does not hold the project.")
@click.option("--format", "fmt", type=click.Choice([OutputFormat.TEXT.value,
              OutputFormat.JSON.value]), default=OutputFormat.TEXT.value,
              show_default=True, help="Output format.")
@click.pass_obj
def upgrade(metadata: object, to_version: str | None, from_path: str | None,
            answers: tuple[str, ...], dry_run: bool, force: bool, fmt: str) -> None:
    """Bring the project up to the installed template, keeping every change you made.

    Files you never changed are updated, files both sides changed are merged three ways,
    conflicts are left as git-style markers. Exit codes: 0 done (or nothing to do),
    1 conflicts to resolve, 2 the project or the options could not be read.
    """
    # loaded when the command runs: Kedro imports this module on every `kedro` call
    from kedro_plugin_layout.commands import upgrade as command
    from kedro_plugin_layout.upgrade.answers import parse_overrides

    root = _project_root(metadata)
    source = Path(from_path) if from_path else None
    overrides = parse_overrides(answers)
    if dry_run:
        result = command.plan_upgrade(root, to=to_version, from_path=source, answers=overrides)
    else:
        result = command.upgrade(root, force=force, to=to_version, from_path=source,
                                 answers=overrides)
    click.echo(render.upgrade(result, fmt, dry_run), nl=fmt != OutputFormat.JSON)
    click.get_current_context().exit(result.exit_code)


@layout.command("use-data")
@click.argument("file", type=click.Path(dir_okay=True, path_type=str))
@click.option("--target", required=True, metavar="COLUMN",
              help="The column the model predicts (as the file names it).")
@click.option("--task", type=click.Choice(["classification", "regression"]),
              help="Default: classification for text, true/false or a few whole numbers; "
                   "regression for other numbers.")
@click.option("--positive-class", metavar="CLASS", help="Binary classification: the class "
              "ROC AUC, precision and recall are about (default: the last class).")
@click.option("--dry-run", is_flag=True, help="Print the decisions and the exact plan; write "
              "nothing.")
@click.pass_obj
def use_data(metadata: object, file: str, target: str, task: str | None,
             positive_class: str | None, dry_run: bool) -> None:
    """Make FILE (CSV or Parquet) the project's data: copy it into the raw data folder,
    infer its data contract (columns, target, task), point the catalog at it and write a
    scoring sample. No code changes: `kedro run`, the tests and `kedro serve` follow.

    Exit codes: 0 done (or planned, with --dry-run), 2 the file, the target or the project
    could not be used (nothing was written).
    """
    # loaded when the command runs: Kedro imports this module on every `kedro` call
    from kedro_plugin_layout.commands.use_data import plan_use_data

    root = _project_root(metadata)
    result = plan_use_data(root, file, target, task=task, positive_class=positive_class)
    click.echo(render.data_decisions(result), nl=False)
    _apply_or_show(result.plan, root, dry_run, lambda: render.used_data(result))


# -- what every command shares -----------------------------------------------------------


def _project_root(metadata: object) -> Path:
    """The Kedro project's root under `kedro layout`, else the working folder (`python -m`)."""
    return Path(getattr(metadata, "project_path", None) or Path.cwd())


def _apply_or_show(plan: Plan, root: Path, dry_run: bool, done: Callable[[], str],
                   verify: Callable[[], None] | None = None) -> None:
    """`--dry-run` prints the exact plan (and the diffs of edits); otherwise applies it,
    undoing it all if `verify` raises once it is applied (see `Plan.apply`), and prints
    what was done."""
    if not plan:
        click.echo(render.NOTHING_TO_DO)
    elif dry_run:
        click.echo(render.dry_run(plan))
    else:
        plan.apply(root, verify)
        click.echo(done())


def _write_output(output: str, text: str, failure: str) -> None:
    """Writes `--output`; a file that cannot be written is one error line (exit 2)."""
    try:
        with open(output, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise LayoutError(f"{failure} ({exc.strerror})", output) from None
