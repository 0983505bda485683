"""The rules page (docs/rules.md) is generated from the rule classes and agrees with them;
every rule has a fix, and every rule id is also named outside the generated page."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import pytest

from kedro_plugin_layout.check.facts import fact_summaries
from kedro_plugin_layout.check.registry import known_facts, load_registry
from tests.support import PYTHON, run, script

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
REGENERATE = ".venv/bin/python scripts/rules_page.py"


@pytest.fixture(scope="module")
def rules_page():
    return script("rules_page")


@pytest.fixture(scope="module")
def registry():
    registry = load_registry([])
    assert not registry.errors
    return registry


def test_the_committed_rules_page_is_what_the_rules_generate(rules_page) -> None:
    committed = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_page.render_page(), (
        f"docs/rules.md disagrees with the rule classes: regenerate it with `{REGENERATE}`")
    assert rules_page.main(["--check"]) == 0


def test_every_rule_is_on_the_rules_page_and_named_elsewhere(registry) -> None:
    page = (DOCS / "rules.md").read_text(encoding="utf-8")
    others = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")
              if p.name != "rules.md"}
    assert len(registry.rules) >= 27
    for rule_id, rule in registry.rules.items():
        assert f"### {rule_id} {{ #{rule_id.lower()} }}" in page, f"{rule_id} not on rules.md"
        family_doc = inspect.getdoc(importlib.import_module(rule.__module__)) or ""
        explained = rule_id in family_doc.split("\n\n", 1)[0]
        assert explained or any(rule_id in text for text in others.values()), (
            f"{rule_id} appears on no docs page but the generated rules.md")


def test_every_rule_has_a_fix_and_every_fact_an_explanation(registry) -> None:
    for rule_id, rule in registry.rules.items():
        assert "fix" in vars(rule), f"{rule_id} inherits its fix"
        assert rule.fix.strip().endswith("."), f"{rule_id}: fix {rule.fix!r}"
        assert rule.fix.strip() != rule.description()
    summaries = fact_summaries()
    assert set(summaries) == set(known_facts())
    assert all(text.strip() for text in summaries.values())


def test_rules_json_gives_what_the_page_is_made_of(tmp_path: Path) -> None:
    result = run([PYTHON, "-m", "kedro_plugin_layout", "rules", "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    kl503 = next(rule for rule in listed["rules"] if rule["id"] == "KL503")
    assert kl503 == {
        "id": "KL503", "family": "hygiene",
        "description": "requirements.txt names kedro.",
        "details": "Each line is read as pip reads it: PEP 508 requirements, direct "
                   "references included (`kedro @ git+https://…` names kedro), `-r` includes, "
                   "`-e URL#egg=NAME`. Skipped when KL106 fails (there is no requirements.txt).",
        "requires": ["KL106"], "needs": ["requirements"],
        "fix": "Add a line such as `kedro~=1.7.0` to requirements.txt.",
        "module": "kedro_plugin_layout.check.rules.hygiene",
    }
    kl402 = next(rule for rule in listed["rules"] if rule["id"] == "KL402")
    assert kl402["needs"] == ["provenance", "pipelines_dir"]
    for rule in listed["rules"]:
        assert rule["fix"] and set(rule["needs"]) <= set(listed["facts"]), rule["id"]
    assert listed["facts"]["pipelines"].startswith("each stage's pipeline")
    assert listed["load_errors"] == []
