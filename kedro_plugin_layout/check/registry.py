"""The registry of every rule: the built-in rules of `rules/` and those other
distributions add through the `kedro_layout.rules` entry point group, each checked before
it is listed.

An entry point names a `Rule` subclass, or a callable returning an iterable of them. For
third-party rules `fix` is optional (it was not asked of them before), and shown when set.

Loading is strict. A built-in rule that reuses an id, is named unlike an id without
setting one, asks for a fact that does not exist or sets no `fix` stops the check at
load with one line (`RuleLoadError`, exit 2): it is a bug of this plugin. A rule plugin
with the same faults (but `fix`), or one that fails to import, is reported as a failing
result (and by `kedro layout rules`, which then exits 1), never silently dropped.

This module imports the rule modules, which import only `rules/base.py`: the graph has
no circle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points as all_entry_points
from typing import Any

from kedro_plugin_layout.check.facts import fact_names
from kedro_plugin_layout.check.rules import dataflow, hygiene, numbering, placement, structure
from kedro_plugin_layout.check.rules.base import RULE_ID, Rule
from kedro_plugin_layout.errors import RuleLoadError

ENTRY_POINT_GROUP = "kedro_layout.rules"
BUILTIN_MODULES = (structure, numbering, placement, dataflow, hygiene)


@dataclass(frozen=True)
class LoadError:
    """A third-party rule entry point that could not be loaded, and why."""

    name: str
    target: str
    error: str


@dataclass(frozen=True)
class Registry:
    """Every known rule by id (sorted), and the rule plugins that failed to load."""

    rules: dict[str, type[Rule]] = field(default_factory=dict)
    errors: tuple[LoadError, ...] = ()


def builtin_rules() -> list[type[Rule]]:
    """The rules shipped with the plugin: every class in `rules/*` that defines `check`.
    A malformed one is a bug here: RuleLoadError names it (see the module doc)."""
    rules: dict[str, type[Rule]] = {}
    known = known_facts()
    for module in BUILTIN_MODULES:
        for obj in vars(module).values():
            if not (isinstance(obj, type) and issubclass(obj, Rule)
                    and obj.__module__ == module.__name__ and "check" in vars(obj)):
                continue
            problem = rule_problem(obj, rules, known) or _builtin_problem(obj)
            if problem:
                raise RuleLoadError(f"built-in rule {module.__name__}.{obj.__name__}: "
                                    f"{problem}; this is a bug of kedro-ml-structure")
            rules[obj.id] = obj
    return list(rules.values())


def _builtin_problem(rule: type[Rule]) -> str:
    """What a built-in rule must have beyond what every rule must: its own `fix`."""
    fix = vars(rule).get("fix")
    if not (isinstance(fix, str) and fix.strip()):
        return (f"{rule.__name__} sets no `fix`: say in one or two sentences how to make "
                "the rule pass")
    return ""


def known_facts() -> frozenset[str]:
    """The fact names a rule's `check` may ask for."""
    return frozenset((*fact_names(), "root"))


def load_registry(entry_points: Iterable[Any] | None = None) -> Registry:
    """Built-in rules plus those from the `kedro_layout.rules` entry point group."""
    rules = {rule.id: rule for rule in builtin_rules()}
    errors: list[LoadError] = []
    if entry_points is None:
        entry_points = all_entry_points(group=ENTRY_POINT_GROUP)
    known = known_facts()
    for entry_point in entry_points:
        target = getattr(entry_point, "value", str(entry_point))
        try:
            loaded = _plugin_rules(entry_point.load())
        except Exception as exc:  # noqa: BLE001 - a broken plugin is reported
            errors.append(LoadError(entry_point.name, target, f"{type(exc).__name__}: {exc}"))
            continue
        for rule in loaded:
            problem = rule_problem(rule, rules, known)
            if problem:
                errors.append(LoadError(entry_point.name, target, problem))
            else:
                rules[rule.id] = rule
    return Registry(dict(sorted(rules.items())), tuple(errors))


def _plugin_rules(obj: Any) -> list[Any]:
    if isinstance(obj, type):
        return [obj]
    if callable(obj):
        return list(obj())
    raise TypeError(f"{obj!r} is neither a Rule subclass nor a callable returning rules")


def rule_problem(rule: Any, known: dict[str, type[Rule]], facts: frozenset[str]) -> str:
    """Why `rule` cannot be registered next to `known`, or "" when it can."""
    if not (isinstance(rule, type) and issubclass(rule, Rule)):
        return f"{rule!r} is not a subclass of kedro_plugin_layout.check.rules.base.Rule"
    name = rule.__name__
    if not rule.id:
        return (f"{name} sets no `id` and its class name is not one (upper-case letters "
                "then digits, e.g. ACME1): rename the class or set `id`")
    if not RULE_ID.match(rule.id):
        return f"{name} has the id {rule.id!r}, which is not upper-case letters then digits"
    if not rule.family:
        return f"{name} must set `family`"
    if rule.id in known:
        other = known[rule.id]
        return f"{name} reuses the id {rule.id} of {other.__module__}.{other.__name__}"
    unknown = [fact for fact in rule.fact_names() if fact not in facts]
    if unknown:
        return (f"{name}.check asks for the unknown fact {unknown[0]!r}; known facts: "
                f"{', '.join(sorted(facts))}")
    return ""


__all__ = ["BUILTIN_MODULES", "ENTRY_POINT_GROUP", "LoadError", "Registry", "builtin_rules",
           "known_facts", "load_registry", "rule_problem"]
