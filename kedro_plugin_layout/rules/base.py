"""What a rule is, what it returns, and the registry that lists every rule.

A rule is a tiny class: a stable `id`, a `family`, a docstring whose first line is its
description, optional `requires` (ids of rules that must pass first) and a `check`
method whose keyword-only parameters name the facts it needs. Rules never read the
disk; the engine hands them facts computed once (see `kedro_plugin_layout.facts`).

Other distributions add rules through the `kedro_layout.rules` entry point group: an
entry point names a `Rule` subclass, or a callable returning an iterable of them. A rule
plugin that fails to load is reported as a failing result, never silently dropped.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

ENTRY_POINT_GROUP = "kedro_layout.rules"
_ID = re.compile(r"^[A-Z]+[0-9]+$")
FAMILIES = ("structure", "numbering", "placement", "dataflow", "hygiene")


@dataclass(frozen=True)
class Finding:
    """One thing wrong: a message saying how to fix it, and the path it is about."""

    message: str
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What a rule's check returns: pass, fail with findings, or skip with a reason."""

    status: str
    findings: tuple[Finding, ...] = ()
    reason: str = ""


def passed() -> Outcome:
    return Outcome("pass")


def failed(message: str, path: str | None = None, line: int | None = None) -> Outcome:
    return Outcome("fail", (Finding(message, path, line),))


def failures(findings: Iterable[Finding]) -> Outcome:
    """Fail with every finding, or pass when there are none."""
    found = tuple(findings)
    return Outcome("fail", found) if found else passed()


def skipped(reason: str) -> Outcome:
    return Outcome("skip", reason=reason)


class Rule:
    """Base class of every rule. Subclasses set `id` and `family` and define `check`.

    A class named like an id (`KL101`, `ACME12`) gets that id without saying so.
    """

    id: ClassVar[str] = ""
    family: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "id" not in vars(cls) and _ID.match(cls.__name__):
            cls.id = cls.__name__

    def check(self, **facts: Any) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def description(cls) -> str:
        """The first line of the docstring: what the rule checks, for humans."""
        doc = inspect.getdoc(cls) or ""
        return doc.splitlines()[0] if doc else cls.__name__

    @classmethod
    def fact_names(cls) -> tuple[str, ...]:
        """The facts `check` asks for, by parameter name."""
        params = inspect.signature(cls.check).parameters.values()
        return tuple(
            p.name for p in params
            if p.name != "self" and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        )


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
    """The rules shipped with the plugin: the concrete subclasses in `rules/*`."""
    from kedro_plugin_layout.rules import dataflow, hygiene, numbering, placement, structure

    modules = (structure, numbering, placement, dataflow, hygiene)
    return [
        obj for module in modules for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == module.__name__
        and obj.id
    ]


def load_registry(entry_points: Iterable[Any] | None = None) -> Registry:
    """Built-in rules plus those from the `kedro_layout.rules` entry point group."""
    rules: dict[str, type[Rule]] = {}
    errors: list[LoadError] = []
    for rule in builtin_rules():
        rules[rule.id] = rule
    if entry_points is None:
        from importlib.metadata import entry_points as all_entry_points

        entry_points = all_entry_points(group=ENTRY_POINT_GROUP)
    for entry_point in entry_points:
        target = getattr(entry_point, "value", str(entry_point))
        try:
            loaded = _plugin_rules(entry_point.load())
        except Exception as exc:  # a broken plugin is reported, whatever it raised
            errors.append(LoadError(entry_point.name, target, f"{type(exc).__name__}: {exc}"))
            continue
        for rule in loaded:
            problem = _invalid(rule, rules)
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


def _invalid(rule: Any, known: dict[str, type[Rule]]) -> str:
    if not (isinstance(rule, type) and issubclass(rule, Rule)):
        return f"{rule!r} is not a subclass of kedro_plugin_layout.rules.base.Rule"
    if not rule.id or not rule.family:
        return f"{rule.__name__} must set `id` and `family`"
    if rule.id in known:
        return f"{rule.__name__} reuses the id {rule.id} of {known[rule.id].__name__}"
    return ""


__all__ = [
    "ENTRY_POINT_GROUP", "FAMILIES", "Finding", "Outcome", "Rule", "Registry", "LoadError",
    "passed", "failed", "failures", "skipped", "builtin_rules", "load_registry",
]
