"""Kept for rule plugins written for 0.2, which import `kedro_plugin_layout.rules.base`:
the rules and their base class live in `kedro_plugin_layout.check.rules` since 0.3."""
