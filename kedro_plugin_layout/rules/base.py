"""The path rule plugins written for 0.2 import `Rule`, `passed`, `failed`, ... from; the
same names as `kedro_plugin_layout.check.rules.base`, where new code imports them."""

from kedro_plugin_layout.check.rules.base import (
    FAMILIES,
    Finding,
    Outcome,
    Rule,
    failed,
    failures,
    passed,
    skipped,
)

__all__ = ["FAMILIES", "Finding", "Outcome", "Rule", "failed", "failures", "passed", "skipped"]
