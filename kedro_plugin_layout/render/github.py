"""GitHub Actions workflow commands: one `::error` annotation per finding.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from kedro_plugin_layout.check.engine import CheckReport, Result
from kedro_plugin_layout.render.text import summary


def render(report: CheckReport) -> str:
    lines = [_annotation(result) for result in report.findings]
    lines += [f"::notice title=kedro layout::{_data(note)}" for note in report.notes]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _annotation(result: Result) -> str:
    properties = []
    if result.path:
        properties.append(f"file={_property(result.path)}")
        if result.line:
            properties.append(f"line={result.line}")
            if result.column:
                properties.append(f"col={result.column}")
    properties.append(f"title={_property(result.rule)}")
    return f"::error {','.join(properties)}::{_data(result.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
