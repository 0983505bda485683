"""Every command's output is rendered here: the CLI (`cli.py`) hands each command's typed
result to one of these functions and prints the string it gets back.

- `render`: `kedro layout check`'s report as text, json, sarif or github annotations
  (`text.py`, `json.py`, `sarif.py`, `github.py`);
- `rules`: `kedro layout rules` (`rule_list.py`); `tree`: `kedro layout tree`
  (`layout_tree.py`); `upgrade`: `kedro layout upgrade`'s report (`upgrade_report.py`);
- `dry_run`, `added_stage`, `fixed`, `inferred`, `left_for_user`: what the writing commands
  (add-stage, fix, init) did or would do (`edits.py`);
- `data_decisions`, `used_data`: what `kedro layout use-data` decided about a file, and
  what it wrote (`use_data.py`).

The CLI imports this package on every `kedro` call, so it imports no renderer at module
level: each is loaded when its command runs (a check never imports the upgrade's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kedro_plugin_layout.kinds import OutputFormat, values

if TYPE_CHECKING:  # each renderer module is imported by the function that uses it
    from kedro_plugin_layout.check.engine import CheckReport
    from kedro_plugin_layout.check.registry import Registry
    from kedro_plugin_layout.commands.add_stage import AddStage
    from kedro_plugin_layout.commands.fix import Fix
    from kedro_plugin_layout.commands.init import Init
    from kedro_plugin_layout.commands.tree import Tree
    from kedro_plugin_layout.commands.use_data import UseData
    from kedro_plugin_layout.edits.plan import Plan
    from kedro_plugin_layout.upgrade.plan import Upgrade

FORMATS = values(OutputFormat)
NOTHING_TO_DO = "Nothing to do: the project already has every part this command creates."
INITIALISED = "Wrote [tool.kedro_layout] to pyproject.toml; next: `kedro layout check`."


def render(report: CheckReport, fmt: OutputFormat | str, *, color: bool = False,
           sarif_prefix: str = "") -> str:
    """The check's report in one of FORMATS; only text is ever coloured."""
    if fmt == OutputFormat.TEXT:
        # loaded when used: cli.py imports this package on every `kedro` call
        from kedro_plugin_layout.render import text

        return text.render(report, color=color)
    if fmt == OutputFormat.JSON:
        # loaded when used: cli.py imports this package on every `kedro` call
        from kedro_plugin_layout.render import json

        return json.render(report)
    if fmt == OutputFormat.SARIF:
        # loaded when used: cli.py imports this package on every `kedro` call
        from kedro_plugin_layout.render import sarif

        return sarif.render(report, prefix=sarif_prefix)
    if fmt == OutputFormat.GITHUB:
        # loaded when used: cli.py imports this package on every `kedro` call
        from kedro_plugin_layout.render import github

        return github.render(report)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def summary(report: CheckReport) -> str:
    """The check's one-line summary: findings and rule counts."""
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import text

    return text.summary(report)


def use_color() -> bool:
    """Whether the check's text report is coloured (a terminal, and no NO_COLOR)."""
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import text

    return text.use_color()


def rules(registry: Registry, fmt: OutputFormat | str = OutputFormat.TEXT) -> str:
    """Every rule of the check: id, family, description (json: with details and facts)."""
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import rule_list

    return rule_list.render_rules(registry, fmt)


def tree(result: Tree, fmt: OutputFormat | str = OutputFormat.TEXT) -> str:
    """The layout as a numbered tree (text) or as JSON."""
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import layout_tree

    if fmt == OutputFormat.JSON:
        return layout_tree.render_json(result)
    return layout_tree.render_text(result)


def upgrade(result: Upgrade, fmt: OutputFormat | str, dry_run: bool) -> str:
    """What an upgrade did (or would do) to each file: text ends without a newline."""
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import upgrade_report

    if fmt == OutputFormat.JSON:
        return upgrade_report.render_json(result, dry_run)
    return upgrade_report.render_text(result, dry_run)


def dry_run(plan: Plan) -> str:
    """A writing command's exact plan, with the diff of each edit, having written nothing."""
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import edits

    return edits.dry_run(plan)


def added_stage(result: AddStage) -> str:
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import edits

    return edits.added_stage(result)


def fixed(result: Fix) -> str:
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import edits

    return edits.fixed(result)


def inferred(result: Init) -> str:
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import edits

    return edits.inferred(result)


def left_for_user(items: tuple[str, ...]) -> str:
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import edits

    return edits.left_for_user(items)


def data_decisions(result: UseData) -> str:
    """What use-data decided: each column's kind and role, the task, the classes, notes."""
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import use_data

    return use_data.decisions(result)


def used_data(result: UseData) -> str:
    # loaded when used: cli.py imports this package on every `kedro` call
    from kedro_plugin_layout.render import use_data

    return use_data.written(result)


def location(result: object) -> str:
    """`path:line:column` of a result (as far as it is known), or ""."""
    parts = [getattr(result, name, None) for name in ("path", "line", "column")]
    if parts[0] is None:
        return ""
    return ":".join(str(part) for part in parts if part is not None)
