"""What `kedro layout use-data` decided, for a person to check before (or after) it writes:
a table of the columns (kind, role, missing share, and what the model will know of each:
range, categories, or why it is ignored), the task and why, the class balance or the
target's range, and notes; then what it wrote."""

from __future__ import annotations

import io
import shutil

from rich import box
from rich.console import Console
from rich.table import Table

from kedro_plugin_layout.adopt.columns import ColumnDecision
from kedro_plugin_layout.adopt.inference import Inference
from kedro_plugin_layout.commands.use_data import UseData

SHOWN_CATEGORIES = 4
NEXT = "Next: kedro run, then pytest, kedro layout check and kedro serve."


def decisions(result: UseData) -> str:
    """The summary as text (rich's table; plain when not on a colour terminal)."""
    inference = result.inference
    width = max(88, shutil.get_terminal_size((100, 24)).columns)
    stream = io.StringIO()
    console = Console(file=stream, width=width, highlight=False, soft_wrap=False)
    console.print(f"{result.source.name}: {inference.rows} rows, {len(inference.columns)} "
                  f"columns. Task: [bold]{inference.task}[/bold] of {inference.target!r} "
                  f"({inference.why_task}).", markup=True, soft_wrap=True)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for header, justify in (("column", "left"), ("kind", "left"), ("role", "left"),
                            ("missing", "right"), ("values", "right"), ("note", "left")):
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for column in inference.columns:
        style = "dim" if column.role == "ignored" else "bold" if column.role == "target" \
            else None
        table.add_row(column.name, column.kind, column.role, f"{column.missing:.0%}",
                      str(column.distinct or ""), detail(column), style=style)
    console.print(table)
    # Prose lines are not wrapped: a terminal wraps them, and a log keeps them whole.
    console.print(target_line(inference), markup=False, soft_wrap=True)
    for note in result.notes:
        console.print(f"Note: {note}", markup=False, soft_wrap=True)
    # rich pads every table line to its width: trailing spaces are noise in a log.
    return "".join(line.rstrip() + "\n" for line in stream.getvalue().splitlines())


def written(result: UseData) -> str:
    """What was written, once the plan is applied, and what to run next."""
    return "\n".join(["Wrote:", *(f"  {line}" for line in result.plan.describe().splitlines()),
                      NEXT])


def detail(column: ColumnDecision) -> str:
    """What the model knows of a column, or why it is ignored."""
    if column.role == "ignored":
        return column.reason
    if column.categories:
        shown = ", ".join(column.categories[:SHOWN_CATEGORIES])
        more = len(column.categories) - SHOWN_CATEGORIES
        return shown + (f", +{more} more" if more > 0 else "")
    if column.bounds:
        low, high = column.bounds
        return f"plausible from {low:g} to {high:g}"
    return ""


def target_line(inference: Inference) -> str:
    """The class balance (with the positive class of a binary task), or the target's range."""
    if inference.target_range:
        low, high, mean = inference.target_range
        return f"Target {inference.target!r}: from {low:g} to {high:g}, mean {mean:.4g}."
    total = sum(n for _, n in inference.class_counts) or 1
    balance = ", ".join(f"{c} {n} ({n / total:.0%})" for c, n in inference.class_counts)
    line = f"Classes of {inference.target!r}: {balance}."
    if len(inference.class_counts) == 2:
        positive = inference.positive_class or inference.class_counts[-1][0]
        how = "--positive-class" if inference.positive_class else \
            "the last class; choose with --positive-class"
        line += f" Positive class: {positive} ({how})."
    return line
