"""Renderers of a `CheckReport`: text, json, sarif, github. Each returns a string."""

from __future__ import annotations

from kedro_plugin_layout.check.engine import CheckReport
from kedro_plugin_layout.kinds import OutputFormat, values

FORMATS = values(OutputFormat)


def render(report: CheckReport, fmt: OutputFormat | str, *, color: bool = False,
           sarif_prefix: str = "") -> str:
    """The report in one of FORMATS; only text is ever coloured."""
    if fmt == OutputFormat.TEXT:
        from kedro_plugin_layout.render import text

        return text.render(report, color=color)
    if fmt == OutputFormat.JSON:
        from kedro_plugin_layout.render import json

        return json.render(report)
    if fmt == OutputFormat.SARIF:
        from kedro_plugin_layout.render import sarif

        return sarif.render(report, prefix=sarif_prefix)
    if fmt == OutputFormat.GITHUB:
        from kedro_plugin_layout.render import github

        return github.render(report)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def location(result: object) -> str:
    """`path:line:column` of a result (as far as it is known), or ""."""
    parts = [getattr(result, name, None) for name in ("path", "line", "column")]
    if parts[0] is None:
        return ""
    return ":".join(str(part) for part in parts if part is not None)
