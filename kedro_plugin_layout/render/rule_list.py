"""`kedro layout rules` as text or JSON.

`rule_rows` is the one description of a rule outside its class: the JSON output and the
generated rules page (scripts/rules_page.py writes docs/rules.md) both use it.
"""

from __future__ import annotations

import json
from typing import Any

from kedro_plugin_layout.check.facts import fact_summaries
from kedro_plugin_layout.check.registry import Registry
from kedro_plugin_layout.check.rules.base import Rule


def rule_row(rule_id: str, rule: type[Rule]) -> dict[str, Any]:
    """What `--format json` says about one rule; `needs` are fact names (see `facts`)."""
    return {"id": rule_id, "family": rule.family, "description": rule.description(),
            "details": rule.details(), "requires": list(rule.requires),
            "needs": list(rule.fact_names()), "fix": rule.fix, "module": rule.__module__}


def rule_rows(registry: Registry) -> list[dict[str, Any]]:
    return [rule_row(rule_id, rule) for rule_id, rule in registry.rules.items()]


def render_rules(registry: Registry, fmt: str = "text") -> str:
    rows = rule_rows(registry)
    if fmt == "json":
        errors = [vars(e) for e in registry.errors]
        return json.dumps({"rules": rows, "facts": fact_summaries(), "load_errors": errors},
                          indent=2) + "\n"
    lines: list[str] = []
    family = None
    for row in sorted(rows, key=lambda r: r["id"]):
        if row["family"] != family:
            family = row["family"]
            lines.append(("\n" if lines else "") + family)
        lines.append(f"  {row['id']}  {row['description']}")
    return "\n".join(lines) + "\n"
