"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, VS Code SARIF viewer).

Locations are relative to the project root (`uriBaseId: "%SRCROOT%"`); when the project
lives in a sub-folder of the repository, `prefix` (`--sarif-prefix`) is prepended so
that code scanning can place them in the repository.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from kedro_plugin_layout import __version__
from kedro_plugin_layout.check.engine import CheckReport, Result, RuleInfo
from kedro_plugin_layout.check.rules.base import Related

SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")


def render(report: CheckReport, prefix: str = "") -> str:
    rules = list(report.rules)
    known = {rule.id for rule in rules}
    rules += [RuleInfo(r.rule, r.family, r.description) for r in report.findings
              if r.rule not in known]
    index = {rule.id: i for i, rule in enumerate(rules)}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kedro-layout",
                "version": __version__,
                "rules": [_descriptor(rule) for rule in rules],
            }},
            "results": [_result(r, index[r.rule], prefix) for r in report.findings],
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "note", "message": {"text": note}} for note in report.notes
                ],
            }],
        }],
    }
    return json.dumps(log, indent=2) + "\n"


def _descriptor(rule: RuleInfo) -> dict:
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.description},
        "defaultConfiguration": {"level": "error"},
        "properties": {"family": rule.family},
    }


def _result(result: Result, rule_index: int, prefix: str) -> dict:
    out: dict = {
        "ruleId": result.rule,
        "ruleIndex": rule_index,
        "level": "error",
        "message": {"text": result.message},
    }
    uri = result.path or "pyproject.toml"
    out["locations"] = [{"physicalLocation": _physical(prefix, uri, result.line, result.column)}]
    if result.related:
        # the leak's path: each step as a related location, and the steps in order as a
        # code flow, which code scanning shows as the path from source to finding
        steps = [_step(i, step, prefix) for i, step in enumerate(result.related, start=1)]
        out["relatedLocations"] = steps
        out["codeFlows"] = [{"threadFlows": [{"locations": [
            {"location": step, "nestingLevel": 0, "executionOrder": step["id"]}
            for step in steps
        ]}]}]
    return out


def _physical(prefix: str, uri: str, line: int | None, column: int | None) -> dict:
    location: dict = {"artifactLocation": {"uri": _join(prefix, uri), "uriBaseId": "%SRCROOT%"}}
    if line:
        location["region"] = {"startLine": line}
        if column:
            location["region"]["startColumn"] = column
    return location


def _step(number: int, step: Related, prefix: str) -> dict:
    """A related location: its message, and where it is when that is known."""
    out: dict = {"id": number, "message": {"text": step.message}}
    if step.path:
        out["physicalLocation"] = _physical(prefix, step.path, step.line, step.column)
    return out


def _join(prefix: str, path: str) -> str:
    prefix = prefix.strip("/")
    return quote(f"{prefix}/{path}" if prefix else path)
