"""The engine: selection by id or prefix, manifest ignores, requires, rule plugins, and
strict loading of built-in and plugin rules."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from kedro_plugin_layout.check.registry import load_registry
from kedro_plugin_layout.check.rules.base import Outcome, Rule, failed, passed
from kedro_plugin_layout.commands.check import check
from kedro_plugin_layout.errors import LayoutError, RuleLoadError
from tests.plugin.trees import layout_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return layout_project(tmp_path)


def ids(report) -> set[str]:
    return {r.rule for r in report.results}


def test_select_and_ignore_by_prefix(project: Path) -> None:
    report = check(project, select=["KL1", "KL503"], ignore=["KL108"])
    assert ids(report) == {f"KL10{i}" for i in range(1, 8)} | {"KL503"}


def test_unknown_select_is_an_error_naming_the_option(project: Path) -> None:
    with pytest.raises(LayoutError) as error:
        check(project, select=["KL9"])
    assert error.value.message.startswith("--select 'KL9' matches no rule")
    assert error.value.exit_code == 2


def test_manifest_ignore_is_shown_as_skipped_with_its_reason(project: Path) -> None:
    (project / "README.md").unlink()
    with (project / "pyproject.toml").open("a") as stream:
        stream.write('\n[[tool.kedro_layout.ignore]]\nrule = "KL107"\n'
                     'reason = "the wiki is our readme"\n')
    report = check(project, select=["KL107"])
    [result] = report.results
    assert result.status == "skip"
    assert result.message == "ignored in [tool.kedro_layout]: the wiki is our readme"
    assert report.exit_code == 0


def test_invalid_manifest_is_exit_2_naming_the_key(project: Path) -> None:
    with (project / "pyproject.toml").open("a") as stream:
        stream.write('\n[[tool.kedro_layout.ignore]]\nrule = "KL107"\n')
    with pytest.raises(LayoutError) as error:
        check(project)
    assert "pyproject.toml" in error.value.message and "reason" in error.value.message


class ACME1(Rule):
    """The project has a CHANGELOG.md."""

    family = "acme"

    def check(self, *, files) -> Outcome:
        return passed() if files.is_file("CHANGELOG.md") else failed("add CHANGELOG.md",
                                                                     "CHANGELOG.md")


class ACME2(Rule):
    """Crashes, as buggy rules do."""

    family = "acme"

    def check(self, *, root) -> Outcome:
        raise RuntimeError("boom")


def entry_point(name: str, load) -> SimpleNamespace:
    return SimpleNamespace(name=name, value=f"acme_rules:{name}", load=load)


def broken_load():
    raise ImportError("No module named 'acme_rules'")


def test_plugin_rules_run_and_broken_plugins_are_reported(project: Path) -> None:
    registry = load_registry([
        entry_point("acme", lambda: lambda: [ACME1, ACME2]),
        entry_point("broken", broken_load),
        entry_point("clash", lambda: type("KL101", (Rule,), {"family": "x"})),
    ])
    assert {"ACME1", "ACME2", "KL101"} <= set(registry.rules)
    assert registry.rules["KL101"].__module__ == "kedro_plugin_layout.check.rules.structure"
    report = check(project, select=["ACME"], registry=registry)
    by_rule = {r.rule: r for r in report.results}
    assert by_rule["ACME1"].message == "add CHANGELOG.md"
    assert "the rule crashed (RuntimeError: boom)" in by_rule["ACME2"].message
    assert "rule plugin `broken` (acme_rules:broken) failed to load: ImportError" in \
        by_rule["broken"].message
    assert "reuses the id KL101" in by_rule["clash"].message
    assert report.exit_code == 1


def test_rule_ids_descriptions_and_families_are_complete() -> None:
    registry = load_registry([])
    assert not registry.errors
    for rule_id, rule in registry.rules.items():
        assert rule.family in {"structure", "numbering", "placement", "dataflow", "hygiene"}
        assert rule_id[2] == {"structure": "1", "numbering": "2", "placement": "3",
                              "dataflow": "4", "hygiene": "5"}[rule.family]
        assert rule.description().endswith(".") and len(rule.description()) > 20


# -- strict loading ------------------------------------------------------------------------------


def _check_manifest(self, *, manifest) -> Outcome:
    return passed()


def _check_unknown(self, *, manifests) -> Outcome:
    return passed()


@pytest.mark.parametrize(("name", "check_method", "problem"), [
    ("KL101", _check_manifest, ("KL101 reuses the id KL101 of "
                                "kedro_plugin_layout.check.rules.structure.KL101")),
    ("GitignoreRule", _check_manifest, ("GitignoreRule sets no `id` and its class name is not "
                                        "one (upper-case letters then digits, e.g. ACME1): "
                                        "rename the class or set `id`")),
    ("KL599", _check_unknown, "KL599.check asks for the unknown fact 'manifests'; known facts: "),
    ("KL598", _check_manifest, ("KL598 sets no `fix`: say in one or two sentences how to make "
                                "the rule pass")),
])
def test_a_malformed_built_in_rule_stops_the_check_in_one_line(
        project: Path, monkeypatch: pytest.MonkeyPatch, name, check_method, problem) -> None:
    from kedro_plugin_layout.check.rules import hygiene
    from kedro_plugin_layout.cli import layout

    rule = type(name, (hygiene.HygieneRule,), {"check": check_method, "__doc__": "Broken.",
                                               "__module__": hygiene.__name__})
    monkeypatch.setattr(hygiene, name, rule, raising=False)
    with pytest.raises(RuleLoadError) as error:
        load_registry([])
    assert error.value.message.startswith(
        f"built-in rule kedro_plugin_layout.check.rules.hygiene.{name}: {problem}")
    assert error.value.message.endswith("; this is a bug of kedro-ml-structure")

    result = CliRunner().invoke(layout, ["check", str(project)])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"Error: built-in rule kedro_plugin_layout.check.rules.hygiene.{name}: ")


class ChangelogRule(Rule):
    """Not named like an id, and sets none."""

    family = "acme"

    def check(self, *, files) -> Outcome:
        return passed()


class ACME3(Rule):
    """Asks for a fact that does not exist."""

    family = "acme"

    def check(self, *, changelog) -> Outcome:
        return passed()


def test_a_malformed_plugin_rule_is_a_load_error_never_dropped() -> None:
    registry = load_registry([entry_point("acme", lambda: lambda: [ChangelogRule, ACME3])])
    assert not {"ChangelogRule", "ACME3"} & set(registry.rules)
    problems = [error.error for error in registry.errors]
    assert problems[0].startswith("ChangelogRule sets no `id`")
    assert problems[1].startswith("ACME3.check asks for the unknown fact 'changelog'; "
                                  "known facts: catalog, dataflow, datasets,")


class ACME4(Rule):
    """Returns a string, not an Outcome."""

    family = "acme"

    def check(self, *, root) -> Outcome:
        return "pass"  # type: ignore[return-value]


def test_a_rule_that_returns_no_outcome_is_a_finding_about_that_rule(project: Path) -> None:
    registry = load_registry([entry_point("acme", lambda: ACME4)])
    [result] = check(project, select=["ACME4"], registry=registry).results
    assert result.status == "fail"
    assert result.message == ("ACME4 returned 'pass', not an Outcome with a status of pass, "
                              "fail, skip; report this to the rule's author")
