"""The `kedro layout` command group: a thin CLI over the typed API in `commands/`.

Kedro imports this module on every `kedro` call inside a project, so it imports only
click and the leaf module of choices (`kinds`, plain enums) at module level; each command
imports its implementation when it runs.
"""

from __future__ import annotations

import click

from kedro_plugin_layout.kinds import ImportMode, OutputFormat, StageRole, StageStyle, values


@click.group(name="Kedro-Layout")
def commands() -> None:
    """Entry point for `kedro.project_commands`."""


@commands.group()
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
    from pathlib import Path

    from kedro_plugin_layout.commands.check import check as check_project
    from kedro_plugin_layout.errors import LayoutError
    from kedro_plugin_layout.render import render
    from kedro_plugin_layout.render.text import summary, use_color

    root = Path(path or getattr(metadata, "project_path", None) or Path.cwd())
    report = check_project(root, _rule_ids(select), _rule_ids(ignore), env=env,
                           import_mode=ImportMode(import_mode))
    if output:
        text = render(report, fmt, sarif_prefix=sarif_prefix)
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise LayoutError(f"cannot write the report ({exc.strerror})", output) from None
        click.echo(summary(report))
    else:
        click.echo(render(report, fmt, color=use_color(), sarif_prefix=sarif_prefix), nl=False)
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
    from kedro_plugin_layout.commands.rules import list_rules, render_rules

    registry = list_rules()
    click.echo(render_rules(registry, fmt), nl=False)
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
    from kedro_plugin_layout.commands.add_stage import plan_add_stage
    from kedro_plugin_layout.commands.output import apply_or_show, project_root

    root = project_root(metadata)
    result = plan_add_stage(root, name, after=after, role=role, data_folder=data_folder,
                            force=force)
    apply_or_show(result.plan, root, dry_run, result.summary())


@layout.command("fix")
@click.option("--dry-run", is_flag=True, help="Print the exact plan and write nothing.")
@click.pass_obj
def fix(metadata: object, dry_run: bool) -> None:
    """Create the missing parts of the layout; never edit or delete existing content."""
    from kedro_plugin_layout.commands.fix import plan_fix
    from kedro_plugin_layout.commands.output import apply_or_show, left_for_user, project_root

    root = project_root(metadata)
    result = plan_fix(root)
    apply_or_show(result.plan, root, dry_run, result.summary())
    left_for_user(result.left, dry_run or not result.plan)


@layout.command("init")
@click.option("--stage-style", type=click.Choice(values(StageStyle)),
              help="Stage folder style when it cannot be inferred (default: numbered when "
                   "there are no stages or all are numbered, else plain).")
@click.option("--dry-run", is_flag=True, help="Print the exact plan and write nothing.")
@click.pass_obj
def init(metadata: object, stage_style: str | None, dry_run: bool) -> None:
    """Adopt the layout in an existing Kedro project: write the manifest and missing folders."""
    from kedro_plugin_layout.commands.init import plan_init
    from kedro_plugin_layout.commands.output import apply_or_show, project_root

    root = project_root(metadata)
    result = plan_init(root, stage_style)
    click.echo(result.inferred())
    apply_or_show(result.plan, root, dry_run,
                  "Wrote [tool.kedro_layout] to pyproject.toml; next: `kedro layout check`.")


@layout.command("tree")
@click.option("--format", "fmt", type=click.Choice([OutputFormat.TEXT.value,
              OutputFormat.JSON.value]), default=OutputFormat.TEXT.value,
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the tree to this file instead of stdout.")
@click.pass_obj
def tree(metadata: object, fmt: str, output: str | None) -> None:
    """Show the layout: stages in order with nodes, inputs and outputs; data folders."""
    from kedro_plugin_layout.commands.output import project_root
    from kedro_plugin_layout.commands.tree import layout_tree, render_json, render_text

    result = layout_tree(project_root(metadata))
    text = render_json(result) if fmt == OutputFormat.JSON else render_text(result)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as stream:
                stream.write(text + "\n")
        except OSError as exc:
            from kedro_plugin_layout.errors import LayoutError

            raise LayoutError(f"cannot be written ({exc.strerror})", output) from None
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
    from pathlib import Path

    from kedro_plugin_layout.commands import upgrade as command
    from kedro_plugin_layout.commands.output import project_root
    from kedro_plugin_layout.upgrade.answers import parse_overrides

    root = project_root(metadata)
    source = Path(from_path) if from_path else None
    overrides = parse_overrides(answers)
    if dry_run:
        result = command.plan_upgrade(root, to=to_version, from_path=source, answers=overrides)
    else:
        result = command.upgrade(root, force=force, to=to_version, from_path=source,
                                 answers=overrides)
    render = command.render_json if fmt == OutputFormat.JSON else command.render_text
    click.echo(render(result, dry_run), nl=fmt != OutputFormat.JSON)
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
    from kedro_plugin_layout.adopt.summary import render
    from kedro_plugin_layout.commands.output import apply_or_show, project_root
    from kedro_plugin_layout.commands.use_data import plan_use_data

    root = project_root(metadata)
    result = plan_use_data(root, file, target, task=task, positive_class=positive_class)
    click.echo(render(result.inference, result.source.name, result.notes), nl=False)
    done = "\n".join(["Wrote:", *(f"  {line}" for line in result.plan.describe().splitlines()),
                      "Next: kedro run, then pytest, kedro layout check and kedro serve."])
    apply_or_show(result.plan, root, dry_run, done)
