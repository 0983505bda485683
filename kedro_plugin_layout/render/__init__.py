"""Renderers of a `CheckReport`: text, json, sarif, github. Each returns a string."""

from __future__ import annotations

from kedro_plugin_layout.engine import CheckReport

FORMATS = ("text", "json", "sarif", "github")


def render(report: CheckReport, fmt: str, *, color: bool = False, sarif_prefix: str = "") -> str:
    """The report in one of FORMATS; only text is ever coloured."""
    if fmt == "text":
        from kedro_plugin_layout.render import text

        return text.render(report, color=color)
    if fmt == "json":
        from kedro_plugin_layout.render import json

        return json.render(report)
    if fmt == "sarif":
        from kedro_plugin_layout.render import sarif

        return sarif.render(report, prefix=sarif_prefix)
    if fmt == "github":
        from kedro_plugin_layout.render import github

        return github.render(report)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
