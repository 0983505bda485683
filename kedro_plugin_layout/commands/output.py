"""What the writing commands share: finding the project, and applying or showing a plan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from kedro_plugin_layout.plan import Plan


def project_root(metadata: object) -> Path:
    """The Kedro project's root under `kedro layout`, else the working folder (`python -m`)."""
    return Path(getattr(metadata, "project_path", None) or Path.cwd())


def apply_or_show(plan: Plan, root: Path, dry_run: bool, done: str,
                  verify: Callable[[], None] | None = None) -> None:
    """`--dry-run` prints the exact plan (and the diffs of edits); otherwise applies it,
    undoing it all if `verify` raises once it is applied (see `Plan.apply`)."""
    if not plan:
        click.echo("Nothing to do: the project already has every part this command creates.")
        return
    if dry_run:
        click.echo("Dry run: nothing was written. The plan:")
        click.echo(_indent(plan.describe()))
        diffs = plan.diffs()
        if diffs:
            click.echo("Edits:")
            click.echo(_indent(diffs.rstrip("\n")))
        return
    plan.apply(root, verify)
    click.echo(done)


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line else line for line in text.splitlines())


def left_for_user(items: tuple[str, ...], show: bool) -> None:
    """Lists what the command could not do safely (after a dry run or when nothing to do)."""
    if show:
        for item in items:
            click.echo(f"Left for you: {item}")
