"""Third-party rules through the real `kedro_layout.rules` entry point group."""

from __future__ import annotations

import json
from pathlib import Path

from tests.plugin.trees import layout_project, write
from tests.support import PYTHON, run

RULES = '''\
from kedro_plugin_layout.check.rules.base import Rule, failed, passed


class ACME1(Rule):
    """The project has a CHANGELOG.md."""

    family = "acme"

    def check(self, *, files):
        if files.is_file("CHANGELOG.md"):
            return passed()
        return failed("add a CHANGELOG.md at the project root", "CHANGELOG.md")
'''

ENTRY_POINTS = """\
[kedro_layout.rules]
acme = acme_rules:ACME1
missing = acme_rules_gone:RULES
"""


def install_fake_distribution(site: Path) -> None:
    """A distribution on PYTHONPATH: importlib.metadata finds its entry points."""
    write(site, "acme_rules.py", RULES)
    write(site, "acme_rules-0.1.dist-info/METADATA",
          "Metadata-Version: 2.1\nName: acme-rules\nVersion: 0.1\n")
    write(site, "acme_rules-0.1.dist-info/entry_points.txt", ENTRY_POINTS)


def test_plugin_rules_run_and_a_broken_one_is_reported(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_fake_distribution(site)
    project = layout_project(tmp_path)

    listed = run([PYTHON, "-m", "kedro_plugin_layout", "rules"], tmp_path,
                 PYTHONPATH=str(site))
    assert listed.returncode == 1
    assert "acme\n  ACME1  The project has a CHANGELOG.md." in listed.stdout
    assert "rule plugin missing (acme_rules_gone:RULES) failed to load: " \
           "ModuleNotFoundError" in listed.stderr

    report = tmp_path / "report.json"
    checked = run([PYTHON, "-m", "kedro_plugin_layout", "check", str(project), "--format",
                   "json", "--output", str(report)], tmp_path, PYTHONPATH=str(site))
    assert checked.returncode == 1
    failures = {r["rule"]: r["message"] for r in json.loads(report.read_text())["results"]
                if r["status"] == "fail"}
    assert failures["ACME1"] == "add a CHANGELOG.md at the project root"
    assert failures["missing"].startswith("rule plugin `missing` (acme_rules_gone:RULES) "
                                          "failed to load: ModuleNotFoundError")
    assert set(failures) == {"ACME1", "missing"}


def test_a_rule_plugin_written_for_0_2_still_loads(tmp_path: Path) -> None:
    """0.2's docs told rule authors to import from `kedro_plugin_layout.rules.base`."""
    site = tmp_path / "site"
    write(site, "old_rules.py", RULES.replace("kedro_plugin_layout.check.rules.base",
                                              "kedro_plugin_layout.rules.base"))
    write(site, "old_rules-0.1.dist-info/METADATA",
          "Metadata-Version: 2.1\nName: old-rules\nVersion: 0.1\n")
    write(site, "old_rules-0.1.dist-info/entry_points.txt",
          "[kedro_layout.rules]\nold = old_rules:ACME1\n")
    project = layout_project(tmp_path)
    write(project, "CHANGELOG.md", "# Changes\n")

    listed = run([PYTHON, "-m", "kedro_plugin_layout", "rules"], tmp_path,
                 PYTHONPATH=str(site))
    assert listed.returncode == 0, listed.stderr
    assert "acme\n  ACME1  The project has a CHANGELOG.md." in listed.stdout
    checked = run([PYTHON, "-m", "kedro_plugin_layout", "check", str(project), "--select",
                   "ACME"], tmp_path, PYTHONPATH=str(site))
    assert checked.returncode == 0, checked.stdout
    assert "pass  ACME1  The project has a CHANGELOG.md." in checked.stdout
