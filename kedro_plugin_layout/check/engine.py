"""Runs the selected rules against a project's facts and returns frozen results.

The engine decides which rules run (select/ignore by id or prefix, manifest ignores
shown as skipped with their reason, rules whose `requires` did not pass skipped) and
hands each rule only the facts it names. Rendering and exit codes are the CLI's job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kedro_plugin_layout.check.facts import Facts
from kedro_plugin_layout.check.registry import LoadError, Registry
from kedro_plugin_layout.check.rules.base import Outcome, Related, Rule
from kedro_plugin_layout.errors import LayoutError
from kedro_plugin_layout.kinds import Status

PASS, FAIL, SKIP = Status.PASS, Status.FAIL, Status.SKIP
PLUGIN_FAMILY = "plugin"


@dataclass(frozen=True)
class Result:
    """One rule's verdict, or one finding of a failing rule (a rule may fail many times).
    `path` is relative to the project root; `line` and `column` are 1-based; `related`
    are the places that explain a finding (a leak's path), in order."""

    rule: str
    family: str
    description: str
    status: Status
    message: str = ""
    path: str | None = None
    line: int | None = None
    column: int | None = None
    related: tuple[Related, ...] = ()


@dataclass(frozen=True)
class RuleInfo:
    id: str
    family: str
    description: str


@dataclass(frozen=True)
class CheckReport:
    """What `check` found in a project: every result, the rules that were considered, and
    notes on what the facts could read only in part (e.g. a stage imported for real)."""

    root: Path
    results: tuple[Result, ...]
    rules: tuple[RuleInfo, ...]
    notes: tuple[str, ...] = ()

    @property
    def findings(self) -> tuple[Result, ...]:
        return tuple(r for r in self.results if r.status == FAIL)

    @property
    def exit_code(self) -> int:
        return 1 if self.findings else 0

    def count(self, status: Status) -> int:
        """Rules with this status (a rule with several findings counts once)."""
        return len({r.rule for r in self.results if r.status == status})


def matches(rule_id: str, patterns: Iterable[str]) -> bool:
    return any(rule_id.startswith(p) for p in patterns)


def select_rules(registry: Registry, select: Sequence[str] = (),
                 ignore: Sequence[str] = ()) -> list[type[Rule]]:
    """The rules chosen by `--select`/`--ignore` (ids or prefixes such as `KL4`)."""
    for option, patterns in (("--select", select), ("--ignore", ignore)):
        for pattern in patterns:
            if not any(rule_id.startswith(pattern) for rule_id in registry.rules):
                raise LayoutError(
                    f"{option} {pattern!r} matches no rule; run `kedro layout rules` to list "
                    "the rule ids"
                )
    return [rule for rule_id, rule in registry.rules.items()
            if (not select or matches(rule_id, select)) and not matches(rule_id, ignore)]


def run(facts: Facts, registry: Registry, select: Sequence[str] = (),
        ignore: Sequence[str] = ()) -> CheckReport:
    chosen = select_rules(registry, select, ignore)
    manifest_ignores = facts.manifest.ignore
    outcomes: dict[str, Outcome] = {}

    def outcome(rule_id: str) -> Outcome:
        if rule_id not in outcomes:
            outcomes[rule_id] = _evaluate(registry.rules[rule_id], facts, registry, outcome)
        return outcomes[rule_id]

    results = [_load_error_result(error) for error in registry.errors]
    for rule in chosen:
        reason = next((i.reason for i in manifest_ignores if rule.id.startswith(i.rule)), None)
        if reason is not None:
            results.append(_result(rule, SKIP, f"ignored in [tool.kedro_layout]: {reason}"))
            continue
        results.extend(_results(rule, outcome(rule.id)))
    infos = tuple(RuleInfo(r.id, r.family, r.description()) for r in chosen)
    return CheckReport(facts.root, tuple(results), infos, tuple(facts.notes))


def _evaluate(rule: type[Rule], facts: Facts, registry: Registry,
              outcome: Callable[[str], Outcome]) -> Outcome:
    for required in rule.requires:
        if required not in registry.rules:
            return Outcome(SKIP, reason=f"requires {required}, which is not installed")
        if outcome(required).status != PASS:
            return Outcome(SKIP, reason=f"requires {required}, which did not pass")
    kwargs = {name: facts.get(name) for name in rule.fact_names()}
    try:
        result = rule().check(**kwargs)
    except LayoutError:
        raise
    except Exception as exc:  # a buggy rule is a finding about that rule, not a crash
        return Outcome(FAIL, reason=f"the rule crashed ({type(exc).__name__}: {exc}); report "
                                    "this to the rule's author")
    if not isinstance(result, Outcome) or result.status not in tuple(Status):
        return Outcome(FAIL, reason=f"returned {result!r}, not an Outcome with a status of "
                                    f"{', '.join(Status)}; report this to the rule's author")
    return result


def _results(rule: type[Rule], outcome: Outcome) -> list[Result]:
    if outcome.status == FAIL and outcome.findings:
        return [_result(rule, FAIL, f.message, f.path, f.line, f.column, f.related)
                for f in outcome.findings]
    if outcome.status == FAIL:
        return [_result(rule, FAIL, f"{rule.id} {outcome.reason}")]
    return [_result(rule, outcome.status, outcome.reason)]


def _result(rule: type[Rule], status: Status, message: str = "", path: str | None = None,
            line: int | None = None, column: int | None = None,
            related: tuple[Related, ...] = ()) -> Result:
    return Result(rule.id, rule.family, rule.description(), Status(status), message, path,
                  line, column, related)


def _load_error_result(error: LoadError) -> Result:
    return Result(
        rule=error.name, family=PLUGIN_FAMILY,
        description=f"rule plugin {error.name} ({error.target})", status=FAIL,
        message=f"rule plugin `{error.name}` ({error.target}) failed to load: {error.error}; "
                "fix or uninstall the distribution that provides it",
    )
