"""Human output: results grouped by family, coloured only for a terminal that wants it."""

from __future__ import annotations

import os
import sys
from typing import IO

import click

from kedro_plugin_layout.check.engine import FAIL, PASS, SKIP, CheckReport, Result
from kedro_plugin_layout.check.rules.base import FAMILIES
from kedro_plugin_layout.render import location

_LABELS = {PASS: ("pass", "green"), FAIL: ("FAIL", "red"), SKIP: ("skip", "yellow")}


def use_color(stream: IO[str] | None = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    stream = stream or sys.stdout
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def render(report: CheckReport, color: bool = False) -> str:
    lines = [f"kedro layout check: {report.root}"]
    families = sorted({r.family for r in report.results},
                      key=lambda f: (FAMILIES.index(f) if f in FAMILIES else len(FAMILIES), f))
    for family in families:
        lines.append("")
        lines.append(click.style(family, bold=True) if color else family)
        seen: set[str] = set()
        for result in (r for r in report.results if r.family == family):
            if result.rule not in seen:
                seen.add(result.rule)
                lines.append(_headline(result, color))
            if result.status == FAIL:
                where = location(result)
                lines.append(f"        - {where + ': ' if where else ''}{result.message}")
                lines += _related(result)
    if report.notes:
        lines.append("")
        lines += [f"note: {note}" for note in report.notes]
    lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: CheckReport) -> str:
    findings = len(report.findings)
    counts = (f"{report.count(PASS)} passed, {report.count(FAIL)} failed, "
              f"{report.count(SKIP)} skipped")
    if not findings:
        return f"No findings ({counts})."
    return f"{findings} finding{'s' if findings != 1 else ''} ({counts})."


def _related(result: Result) -> list[str]:
    """The places that explain a finding (a leak's path), one numbered line each."""
    lines = []
    for number, step in enumerate(result.related, start=1):
        where = location(step)
        lines.append(f"            {number}. {where + ': ' if where else ''}{step.message}")
    return lines


def _headline(result: Result, color: bool) -> str:
    label, colour = _LABELS.get(result.status, (result.status, "white"))
    label = f"{label:<4}"
    if color:
        label = click.style(label, fg=colour, bold=result.status == FAIL)
    line = f"  {label}  {result.rule}  {result.description}"
    if result.status == SKIP and result.message:
        line += f" ({result.message})"
    return line
