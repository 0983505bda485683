"""Renderers: text (colour only for a terminal), json (stable schema), sarif 2.1.0
(validated against the vendored OASIS schema), github workflow commands."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from kedro_plugin_layout.check.engine import CheckReport, Result, RuleInfo
from kedro_plugin_layout.commands.check import check
from kedro_plugin_layout.render import render
from kedro_plugin_layout.render.text import use_color
from tests.plugin.trees import PACKAGE, layout_project, set_stage_nodes, write

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def report(tmp_path: Path) -> CheckReport:
    """Three findings: one without a line, one with a catalog line, one file under src/."""
    root = layout_project(tmp_path)
    shutil.rmtree(root / "notebooks")
    with (root / "conf" / "base" / "catalog.yml").open("a") as stream:
        stream.write("\nexported:\n  type: pandas.CSVDataset\n  filepath: /srv/out.csv\n")
    write(root, f"src/{PACKAGE}/data file.csv", "a\n")
    return check(root, select=["KL1", "KL3"])


def test_sarif_validates_against_the_schema(report: CheckReport) -> None:
    log = json.loads(render(report, "sarif"))
    jsonschema.validate(log, json.loads(SCHEMA.read_text()), cls=jsonschema.Draft4Validator)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in report.rules]
    assert rules[0]["shortDescription"]["text"] == report.rules[0].description
    located = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                tuple(r["locations"][0]["physicalLocation"].get("region", {}).values()))
               for r in run["results"]}
    catalog = (report.root / "conf/base/catalog.yml").read_text().splitlines()
    pyproject = (report.root / "pyproject.toml").read_text().splitlines()
    assert located == {
        ("KL102", "pyproject.toml", (pyproject.index('notebooks = "notebooks"') + 1, 1)),
        ("KL301", "conf/base/catalog.yml", (catalog.index("exported:") + 1, 1)),
        ("KL304", f"src/{PACKAGE}/data%20file.csv", ()),
    }
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    run["results"][0]["level"] = "fatal"  # the schema bites: an invalid level is refused
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, json.loads(SCHEMA.read_text()), cls=jsonschema.Draft4Validator)


def test_sarif_prefix_places_a_project_inside_a_repository(report: CheckReport) -> None:
    log = json.loads(render(report, "sarif", sarif_prefix="projects/lab/"))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]]
    assert uris == ["projects/lab/pyproject.toml", "projects/lab/conf/base/catalog.yml",
                    "projects/lab/src/mini_lab/data%20file.csv"]


def test_sarif_of_a_clean_project_is_valid_and_empty(tmp_path: Path) -> None:
    log = json.loads(render(check(layout_project(tmp_path), select=["KL1"]), "sarif"))
    jsonschema.validate(log, json.loads(SCHEMA.read_text()), cls=jsonschema.Draft4Validator)
    assert log["runs"][0]["results"] == []


def test_json_schema_is_stable(report: CheckReport) -> None:
    document = json.loads(render(report, "json"))
    assert set(document) == {"schema_version", "tool", "project", "summary", "results", "notes"}
    assert document["schema_version"] == 1
    assert document["summary"] == {"rules": 14, "passed": 11, "failed": 3, "skipped": 0,
                                   "findings": 3}
    for result in document["results"]:
        assert set(result) == {"rule", "family", "description", "status", "message", "path",
                               "line", "column", "related"}
    kl301 = next(r for r in document["results"] if r["rule"] == "KL301")
    assert kl301["status"] == "fail" and kl301["path"] == "conf/base/catalog.yml"


def test_text_groups_by_family_and_explains_each_finding(report: CheckReport) -> None:
    text = render(report, "text")
    assert text.index("structure\n") < text.index("placement\n")
    assert "  FAIL  KL102  The notebooks folder exists" in text
    line = (report.root / "pyproject.toml").read_text().splitlines().index(
        'notebooks = "notebooks"') + 1
    assert f"        - pyproject.toml:{line}:1: notebooks folder `notebooks/` is missing" in text
    assert text.rstrip().endswith("3 findings (11 passed, 3 failed, 0 skipped).")
    assert "\x1b[" not in text
    assert "\x1b[31" in render(report, "text", color=True)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_for_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(Terminal()) is True
    assert use_color(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(Terminal()) is False


def test_github_annotations_escape_their_data(tmp_path: Path) -> None:
    finding = Result("KL301", "placement", "d", "fail", "50% done\nnext: line",
                     "conf/a,b:c.yml", 7)
    report = CheckReport(tmp_path, (finding,), (RuleInfo("KL301", "placement", "d"),))
    lines = render(report, "github").splitlines()
    assert lines[0] == "::error file=conf/a%2Cb%3Ac.yml,line=7,title=KL301::50%25 done%0Anext: line"
    assert lines[1] == "1 finding (0 passed, 1 failed, 0 skipped)."


def test_notes_are_in_every_format_and_sarif_stays_valid(tmp_path: Path) -> None:
    finding = Result("KL402", "dataflow", "d", "fail", "leak", "src/p/pipeline.py", 12, 9)
    notes = ("pipelines: stage 04 imported with its dependencies: lite mode could not build "
             "its graph (StandInUsed: ...)",)
    report = CheckReport(tmp_path, (finding,), (RuleInfo("KL402", "dataflow", "d"),), notes)
    log = json.loads(render(report, "sarif"))
    jsonschema.validate(log, json.loads(SCHEMA.read_text()), cls=jsonschema.Draft4Validator)
    [invocation] = log["runs"][0]["invocations"]
    assert invocation["toolExecutionNotifications"] == [{"level": "note",
                                                        "message": {"text": notes[0]}}]
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 12, "startColumn": 9}
    assert json.loads(render(report, "json"))["notes"] == list(notes)
    assert f"\nnote: {notes[0]}\n" in render(report, "text")
    assert render(report, "github").splitlines() == [
        "::error file=src/p/pipeline.py,line=12,col=9,title=KL402::leak",
        f"::notice title=kedro layout::{notes[0]}",
        "1 finding (0 passed, 1 failed, 0 skipped).",
    ]


@pytest.fixture
def leak(tmp_path: Path) -> CheckReport:
    """KL405: statistics of the cleaned rows, before the split, reach the transformer."""
    root = layout_project(tmp_path)
    set_stage_nodes(root, "01_data_preprocessing",
                    'node(step, "raw_rows", "clean_rows", name="clean"),\n'
                    '        node(describe, "clean_rows", "row_stats", name="describe"),\n'
                    '        node(split, "clean_rows", ["train_split", "eval_split", '
                    '"test_split"], name="split")')
    pipeline = root / f"src/{PACKAGE}/pipelines/02_feature_engineering/pipeline.py"
    pipeline.write_text(pipeline.read_text().replace(
        'node(fit, "train_split", "transformer"', 'node(fit, ["train_split", "row_stats"], '
        '"transformer"'))
    return check(root, select=["KL405"])


def line(root: Path, path: str, text: str) -> int:
    return next(i for i, found in enumerate((root / path).read_text().splitlines(), start=1)
                if text in found)


def test_a_leak_explains_its_path_in_every_format(leak: CheckReport) -> None:
    root = leak.root
    stage01 = f"src/{PACKAGE}/pipelines/01_data_preprocessing"
    stage02 = f"src/{PACKAGE}/pipelines/02_feature_engineering"
    expected = [
        ("dataset `raw_rows` (data/01_raw/rows.csv)", "conf/base/catalog.yml",
         line(root, "conf/base/catalog.yml", "raw_rows:"), 1),
        ("node `clean` (stage 01_data_preprocessing) writes `clean_rows`",
         f"{stage01}/pipeline.py", line(root, f"{stage01}/pipeline.py", 'name="clean"'), 9),
        ("dataset `clean_rows` (in memory)", None, None, None),
        ("node `describe` (stage 01_data_preprocessing) writes `row_stats`",
         f"{stage01}/pipeline.py", line(root, f"{stage01}/pipeline.py", 'name="describe"'), 9),
        ("node `describe` learns from its inputs here: `pd.concat(frames).describe()`",
         f"{stage01}/nodes.py", line(root, f"{stage01}/nodes.py", ".describe()"), 12),
        ("dataset `row_stats` (in memory)", None, None, None),
        ("node `fit_transformer` fits here: `StandardScaler().fit(...)`", f"{stage02}/nodes.py",
         line(root, f"{stage02}/nodes.py", "StandardScaler().fit("), 12),
        ("node `fit_transformer` (stage 02_feature_engineering) fits on it",
         f"{stage02}/pipeline.py", line(root, f"{stage02}/pipeline.py", "fit_transformer"), 9),
    ]
    [finding] = leak.findings
    assert [(r.message, r.path, r.line, r.column) for r in finding.related] == expected
    assert (finding.path, finding.line) == expected[-1][1:3]

    document = json.loads(render(leak, "json"))
    [result] = [r for r in document["results"] if r["status"] == "fail"]
    assert [tuple(step.values()) for step in result["related"]] == expected

    text = render(leak, "text")
    assert f"            1. conf/base/catalog.yml:{expected[0][2]}:1: dataset `raw_rows`" in text
    assert "            3. dataset `clean_rows` (in memory)\n" in text

    log = json.loads(render(leak, "sarif", sarif_prefix="lab"))
    jsonschema.validate(log, json.loads(SCHEMA.read_text()), cls=jsonschema.Draft4Validator)
    [sarif] = log["runs"][0]["results"]
    related = sarif["relatedLocations"]
    assert [step["message"]["text"] for step in related] == [e[0] for e in expected]
    assert related[4]["physicalLocation"] == {
        "artifactLocation": {"uri": f"lab/{stage01}/nodes.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": expected[4][2], "startColumn": 12}}
    assert "physicalLocation" not in related[2]  # in memory: nowhere to point at
    [flow] = sarif["codeFlows"]
    assert [s["location"] for s in flow["threadFlows"][0]["locations"]] == related


def test_the_cli_offers_exactly_the_formats_and_import_modes() -> None:
    from kedro_plugin_layout.cli import check as check_command
    from kedro_plugin_layout.kinds import ImportMode, OutputFormat, values
    from kedro_plugin_layout.render import FORMATS

    choices = {p.name: tuple(p.type.choices) for p in check_command.params
               if hasattr(p.type, "choices")}
    assert choices == {"fmt": values(OutputFormat), "import_mode": values(ImportMode)}
    assert FORMATS == values(OutputFormat)
