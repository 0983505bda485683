"""What a rule is and what it returns.

A rule is a tiny class: a stable `id`, a `family`, a docstring whose first line is its
description (later paragraphs, if any, are the details the rules page shows), a `fix`
saying how to make it pass, optional `requires` (ids of rules that must pass first) and a
`check` method whose keyword-only parameters name the facts it needs. Rules never read
the disk; the engine hands them facts computed once (see `kedro_plugin_layout.check.facts`).

`fix` is a class attribute rather than a docstring paragraph so that it can be required
and tested: every rule class of this plugin sets its own, non-empty (inheriting a
family's would hide a rule that has none). A finding's message says how to fix that one
finding; `fix` says it once for the rule, for `kedro layout rules` and docs/rules.md.

This module imports nothing of the rules: each rule module imports it, and the registry
(`check/registry.py`) imports them all, so there is no import circle. Third-party rules
subclass `Rule` from here.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from kedro_plugin_layout.kinds import Status
from kedro_plugin_layout.project.records import Location

# A rule id: upper-case letters, then digits (`KL101`, `ACME12`).
RULE_ID = re.compile(r"^[A-Z]+[0-9]+$")
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
        if "id" not in vars(cls) and RULE_ID.match(cls.__name__):
            cls.id = cls.__name__

    if TYPE_CHECKING:
        # Each rule's `check` names its own facts as keyword-only parameters, so their
        # signatures differ by design: to a type checker, any signature returning an Outcome.
        check: Callable[..., Outcome]
    else:
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


__all__ = ["FAMILIES", "RULE_ID", "Finding", "Outcome", "Related", "Rule", "failed", "failures",
           "passed", "skipped"]
