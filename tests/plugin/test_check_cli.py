"""`kedro layout check` as users run it: a subprocess in a project made by the starter.

The generated project passing with zero findings is the contract between the starter
and the plugin; each broken copy must fail with the rule that explains it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.plugin.trees import layout_project
from tests.support import PACKAGE, PYTHON, kedro, new_project, run

STAGES = f"src/{PACKAGE}/pipelines"


def failing_rules(project: Path, *args: str) -> tuple[int, set[str], list[dict]]:
    report_file = project.parent / "report.json"
    result = kedro(["layout", "check", "--format", "json", "--output", str(report_file),
                    *args], project)
    assert "Traceback" not in result.stdout + result.stderr
    if result.returncode == 2:
        return 2, set(), []
    results = json.loads(report_file.read_text())["results"]
    failures = [r for r in results if r["status"] == "fail"]
    return result.returncode, {r["rule"] for r in failures}, failures


def test_generated_project_has_zero_findings(generated_project: Path) -> None:
    result = kedro(["layout", "check"], generated_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings (27 passed, 0 failed, 0 skipped)." in result.stdout
    assert "FAIL" not in result.stdout
    assert "note: pipelines: 5 stages read in lite mode" in result.stdout


def test_project_stays_clean_after_kedro_run(trained_project: Path) -> None:
    """What the stages write (splits, features, versioned models, reports) is in place."""
    assert any((trained_project / "models").rglob("*.pkl"))
    result = kedro(["layout", "check"], trained_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings (27 passed, 0 failed, 0 skipped)." in result.stdout


def test_json_report_on_stdout_is_machine_readable(generated_project: Path) -> None:
    """The starter's conf/logging.yml sends Kedro's logs to stderr: stdout is the report."""
    result = kedro(["layout", "check", "--format", "json"], generated_project)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {r["status"] for r in report["results"]} == {"pass"}


def test_kedro_help_lists_layout(generated_project: Path) -> None:
    result = kedro(["-h"], generated_project)
    assert result.returncode == 0
    assert "layout" in result.stdout


def test_training_reads_the_test_split(generated_project: Path, project_copy) -> None:
    project = project_copy(generated_project)
    catalog = project / "conf" / "base" / "catalog.yml"
    text = catalog.read_text()
    assert "data/02_train/train_features.parquet" in text
    catalog.write_text(text.replace("data/02_train/train_features.parquet",
                                    "data/04_test/train_features.parquet"))
    code, rules, failures = failing_rules(project)
    assert code == 1
    # KL406 too: stage 04's verdict (which version is served), kept in models/, is now a
    # choice made with scores of rows of the test split
    assert rules == {"KL402", "KL403", "KL306", "KL406"}
    assert any("leakage" in f["message"] and "03_model_training" in f["message"]
               for f in failures)
    [chosen] = [f for f in failures if f["rule"] == "KL406"]
    assert ("node `judge_model` in stage 04_model_evaluation keeps a model in the models "
            "folder chosen with scores or choices made on rows of the test split") in \
        chosen["message"]
    [layer] = [f for f in failures if f["rule"] == "KL306"]  # its layer still says 02_train
    assert layer["message"].startswith("dataset `train_features` has the kedro-viz layer "
                                       "`02_train` but is stored in `data/04_test/`")


def test_csv_under_src(generated_project: Path, project_copy) -> None:
    project = project_copy(generated_project)
    (project / "src" / PACKAGE / "utils" / "lookup.csv").write_text("a,b\n1,2\n")
    code, rules, failures = failing_rules(project)
    assert (code, rules) == (1, {"KL304"})
    assert failures[0]["path"] == f"src/{PACKAGE}/utils/lookup.csv"


def test_duplicate_02_prefixes(generated_project: Path, project_copy) -> None:
    project = project_copy(generated_project)
    (project / "data" / "02_features").mkdir()
    code, rules, failures = failing_rules(project)
    assert (code, rules) == (1, {"KL201"})
    assert "share the prefix 02_" in failures[0]["message"]


def test_stage_without_a_pipeline(generated_project: Path, project_copy) -> None:
    project = project_copy(generated_project)
    (project / STAGES / "05_api" / "pipeline.py").unlink()
    code, rules, failures = failing_rules(project)
    assert (code, rules) == (1, {"KL103", "KL204"})
    assert any("05_api defines no create_pipeline()" in f["message"] for f in failures)


def test_dataset_written_outside_the_project(generated_project: Path, project_copy) -> None:
    project = project_copy(generated_project)
    with (project / "conf" / "base" / "catalog.yml").open("a") as stream:
        stream.write("\nexport_copy:\n  type: pandas.CSVDataset\n"
                     "  filepath: ../exports/predictions.csv\n")
    code, rules, failures = failing_rules(project)
    assert (code, rules) == (1, {"KL301"})
    assert failures[0]["path"] == "conf/base/catalog.yml" and failures[0]["line"] > 1


def test_broken_pyproject_is_exit_2_with_one_line(generated_project: Path,
                                                  project_copy) -> None:
    """Kedro itself cannot start inside a project whose pyproject.toml is broken, so the
    check is run from another project (or with `python -m`), naming the broken one."""
    project = project_copy(generated_project)
    with (project / "pyproject.toml").open("a") as stream:
        stream.write("\n[[[\n")
    for result in (kedro(["layout", "check", str(project)], generated_project),
                   run([PYTHON, "-m", "kedro_plugin_layout", "check", str(project)],
                       project.parent)):
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"Error: {project / 'pyproject.toml'}: not valid TOML")


def test_catalog_yaml_error_is_exit_2_naming_the_file(generated_project: Path,
                                                      project_copy) -> None:
    project = project_copy(generated_project)
    with (project / "conf" / "base" / "catalog.yml").open("a") as stream:
        stream.write("\nbroken: [unclosed\n")
    result = kedro(["layout", "check"], project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: conf/base/catalog.yml: not valid YAML (line")


def test_python_m_works_outside_a_project(generated_project: Path, tmp_path: Path) -> None:
    result = run([PYTHON, "-m", "kedro_plugin_layout", "check", str(generated_project),
                  "--format", "github"], tmp_path)
    assert result.returncode == 0, result.stderr
    notice, summary = result.stdout.splitlines()
    assert notice.startswith("::notice title=kedro layout::pipelines: 5 stages read in lite mode")
    assert summary == "No findings (27 passed, 0 failed, 0 skipped)."


def test_select_ignore_and_github_annotations(generated_project: Path, project_copy) -> None:
    project = project_copy(generated_project)
    shutil.rmtree(project / "notebooks")
    (project / "src" / PACKAGE / "scratch.ipynb").write_text("{}")
    result = kedro(["layout", "check", "--format", "github", "--select", "KL1,KL3",
                    "--ignore", "KL304"], project)
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    lines = (project / "pyproject.toml").read_text().splitlines()
    notebooks = lines.index('notebooks = "notebooks"') + 1  # the manifest key names the folder
    assert annotations == [
        f"::error file=pyproject.toml,line={notebooks},col=1,title=KL102::notebooks folder "
        "`notebooks/` is missing: create it with a .gitkeep, or run `kedro layout fix` to "
        "create what can be created safely",
        f"::error file=src/{PACKAGE}/scratch.ipynb,title=KL305::notebook "
        f"`src/{PACKAGE}/scratch.ipynb` is inside the source folder: move it to notebooks/ "
        "and keep reusable code in the package",
    ]
    ignored = kedro(["layout", "check", "--select", "KL102,KL305", "--ignore", "KL3"], project)
    assert ignored.returncode == 1 and "KL305" not in ignored.stdout


def test_unknown_select_is_exit_2(generated_project: Path) -> None:
    result = kedro(["layout", "check", "--select", "KL9"], generated_project)
    assert result.returncode == 2
    assert "Error: --select 'KL9' matches no rule" in result.stderr


def test_rules_lists_every_rule(generated_project: Path) -> None:
    text = kedro(["layout", "rules"], generated_project)
    assert text.returncode == 0
    assert "KL402  Leakage: no fit learns from the eval or test split, whatever path its " \
           "rows take." in text.stdout
    result = run([PYTHON, "-m", "kedro_plugin_layout", "rules", "--format", "json"],
                 generated_project.parent)
    listed = json.loads(result.stdout)
    assert result.returncode == 0 and listed["load_errors"] == []
    ids = [rule["id"] for rule in listed["rules"]]
    assert ids == sorted(ids) and {"KL101", "KL204", "KL402", "KL503"} <= set(ids)


def test_sarif_of_a_broken_copy_validates(generated_project: Path, project_copy) -> None:
    import jsonschema

    project = project_copy(generated_project)
    (project / "src" / PACKAGE / "utils" / "lookup.csv").write_text("a,b\n1,2\n")
    out = project.parent / "report.sarif"
    result = kedro(["layout", "check", "--format", "sarif", "--output", str(out)], project)
    assert result.returncode == 1
    assert result.stdout.strip().endswith("1 finding (26 passed, 1 failed, 0 skipped).")
    log = json.loads(out.read_text())
    schema = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json")
                        .read_text())
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    [finding] = log["runs"][0]["results"]
    assert finding["ruleId"] == "KL304"
    assert finding["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        f"src/{PACKAGE}/utils/lookup.csv"
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == 27


def test_invalid_manifest_is_one_line_naming_the_key(tmp_path: Path) -> None:
    project = layout_project(tmp_path)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("stage_style =", "stage_styl ="))
    result = run([PYTHON, "-m", "kedro_plugin_layout", "check", str(project)], tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {pyproject}: [tool.kedro_layout] has unknown key "
                           "'stage_styl'")


def test_symlink_loop_is_one_line_naming_the_folder(tmp_path: Path) -> None:
    project = layout_project(tmp_path)
    (project / "notebooks" / "loop").symlink_to(project)
    result = run([PYTHON, "-m", "kedro_plugin_layout", "check", str(project)], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "Error: notebooks/loop: symlink loop: this folder links " \
                                    "back to one of its parents; remove the link or point it " \
                                    "elsewhere"


@pytest.mark.e2e
def test_generated_plain_stage_style_project_has_zero_findings(tmp_path: Path) -> None:
    project = new_project(tmp_path, config={
        "project_name": "Plain Lab", "repo_name": "plain-lab", "python_package": "plain_lab",
        "stage_style": "plain", "output_dir": str(tmp_path),
    })
    assert (project / "src" / "plain_lab" / "pipelines" / "model_training").is_dir()
    result = kedro(["layout", "check"], project)
    assert result.returncode == 0, result.stdout
    assert "No findings (26 passed, 0 failed, 1 skipped)." in result.stdout
    assert "skip  KL202" in result.stdout
