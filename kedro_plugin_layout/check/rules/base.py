"""What a rule is, what it returns, and the registry that lists every rule.

A rule is a tiny class: a stable `id`, a `family`, a docstring whose first line is its
description (later paragraphs, if any, are the details the rules page shows), a `fix`
saying how to make it pass, optional `requires` (ids of rules that must pass first) and a
`check` method whose keyword-only parameters name the facts it needs. Rules never read
the disk; the engine hands them facts computed once (see `kedro_plugin_layout.check.facts`).

`fix` is a class attribute rather than a docstring paragraph so that it can be required
and tested: every rule class of this plugin sets its own, non-empty (inheriting a
family's would hide a rule that has none). A finding's message says how to fix that one
finding; `fix` says it once for the rule, for `kedro layout rules` and docs/rules.md.

Other distributions add rules through the `kedro_layout.rules` entry point group: an
entry point names a `Rule` subclass, or a callable returning an iterable of them. For
them `fix` is optional (it was not asked of them before), and shown when set.

Loading is strict. A built-in rule that reuses an id, is named unlike an id without
setting one, asks for a fact that does not exist or sets no `fix` stops the check at
load with one line (`RuleLoadError`, exit 2): it is a bug of this plugin. A rule plugin
with the same faults (but `fix`), or one that fails to import, is reported as a failing
result (and by `kedro layout rules`, which then exits 1), never silently dropped.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from kedro_plugin_layout.errors import RuleLoadError
from kedro_plugin_layout.kinds import Status
from kedro_plugin_layout.project.records import Location

ENTRY_POINT_GROUP = "kedro_layout.rules"
_ID = re.compile(r"^[A-Z]+[0-9]+$")
FAMILIES = ("structure", "numbering", "placement", "dataflow", "hygiene")


@dataclass(frozen=True)
class Related:
    """A place that explains a finding (a step of a leak's path): what it is, and where
    (path relative to the project root, 1-based line and column, when known)."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Finding:
    """One thing wrong: a message saying how to fix it, and where: a path relative to the
    project root, with the 1-based line and column when known; `related` are the places
    that explain it, in order (a data-flow finding's path)."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    related: tuple[Related, ...] = ()

    @classmethod
    def at(cls, message: str, location: Location | None, path: str | None = None) -> Finding:
        """A finding at `location`, or at `path` (no line) when the location is unknown."""
        if location is None:
            return cls(message, path)
        return cls(message, location.path, location.line, location.column)


@dataclass(frozen=True)
class Outcome:
    """What a rule's check returns: pass, fail with findings, or skip with a reason."""

    status: Status
    findings: tuple[Finding, ...] = ()
    reason: str = ""


def passed() -> Outcome:
    return Outcome(Status.PASS)


def failed(message: str, path: str | None = None, line: int | None = None,
           column: int | None = None) -> Outcome:
    return Outcome(Status.FAIL, (Finding(message, path, line, column),))


def failures(findings: Iterable[Finding]) -> Outcome:
    """Fail with every finding, or pass when there are none."""
    found = tuple(findings)
    return Outcome(Status.FAIL, found) if found else passed()


def skipped(reason: str) -> Outcome:
    return Outcome(Status.SKIP, reason=reason)


class Rule:
    """Base class of every rule. Subclasses set `id` and `family` and define `check`.

    A class named like an id (`KL101`, `ACME12`) gets that id without saying so.
    """

    id: ClassVar[str] = ""
    family: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    fix: ClassVar[str] = ""

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
    def details(cls) -> str:
        """The docstring after its first line: more about what the rule checks, or ""."""
        doc = inspect.getdoc(cls) or ""
        return " ".join(doc.split("\n", 1)[1].split()) if "\n" in doc else ""

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
    """The rules shipped with the plugin: every class in `rules/*` that defines `check`.
    A malformed one is a bug here: RuleLoadError names it (see the module doc)."""
    from kedro_plugin_layout.check.rules import dataflow, hygiene, numbering, placement, structure

    rules: dict[str, type[Rule]] = {}
    known = known_facts()
    for module in (structure, numbering, placement, dataflow, hygiene):
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
    from kedro_plugin_layout.check.facts import fact_names

    return frozenset((*fact_names(), "root"))


def load_registry(entry_points: Iterable[Any] | None = None) -> Registry:
    """Built-in rules plus those from the `kedro_layout.rules` entry point group."""
    rules = {rule.id: rule for rule in builtin_rules()}
    errors: list[LoadError] = []
    if entry_points is None:
        from importlib.metadata import entry_points as all_entry_points

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
    if not _ID.match(rule.id):
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


__all__ = [
    "ENTRY_POINT_GROUP",
    "FAMILIES",
    "Finding",
    "LoadError",
    "Outcome",
    "Registry",
    "Related",
    "Rule",
    "builtin_rules",
    "failed",
    "failures",
    "known_facts",
    "load_registry",
    "passed",
    "rule_problem",
    "skipped",
]
