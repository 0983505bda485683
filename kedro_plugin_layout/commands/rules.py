"""`kedro layout rules`: every rule the check knows, for people and for tools (rendered
by `render/rule_list.py`)."""

from __future__ import annotations

from kedro_plugin_layout.check.registry import Registry, load_registry


def list_rules(registry: Registry | None = None) -> Registry:
    """Built-in rules and those from `kedro_layout.rules` plugins (with load failures)."""
    return registry or load_registry()
