"""`kedro layout rules`: every rule the check knows, for people and for tools."""

from __future__ import annotations

import json

from kedro_plugin_layout.rules.base import Registry, load_registry


def list_rules(registry: Registry | None = None) -> Registry:
    """Built-in rules and those from `kedro_layout.rules` plugins (with load failures)."""
    return registry or load_registry()


def render_rules(registry: Registry, fmt: str = "text") -> str:
    rows = [{"id": rule_id, "family": rule.family, "description": rule.description(),
             "requires": list(rule.requires), "module": rule.__module__}
            for rule_id, rule in registry.rules.items()]
    if fmt == "json":
        errors = [vars(e) for e in registry.errors]
        return json.dumps({"rules": rows, "load_errors": errors}, indent=2) + "\n"
    lines = []
    family = None
    for row in sorted(rows, key=lambda r: r["id"]):
        if row["family"] != family:
            family = row["family"]
            lines.append(("\n" if lines else "") + family)
        lines.append(f"  {row['id']}  {row['description']}")
    return "\n".join(lines) + "\n"
