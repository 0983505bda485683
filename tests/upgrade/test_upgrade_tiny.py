"""`kedro layout upgrade` on a small two-version template: every file's fate, renumbered
stages, the record, dry runs, refusals and rollback. Fast: no Kedro run."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from kedro_ml_starter.origin import runtime_requirement
from kedro_ml_starter.template_record import read_template_record
from kedro_plugin_layout.commands import upgrade as upgrade_module
from kedro_plugin_layout.commands.upgrade import plan_upgrade, upgrade
from kedro_plugin_layout.errors import LayoutError
from kedro_plugin_layout.kinds import FileOutcome
from kedro_plugin_layout.upgrade.template_archive import TemplateShelf
from tests.plugin.layout_projects import invoke
from tests.support import fail_plan_at, tree_hashes
from tests.upgrade import tiny_templates as tiny
from tests.upgrade.tiny_templates import EXPECTED, PIPELINES


@pytest.fixture
def shelf(tmp_path: Path):
    return tiny.shelf(tmp_path / "templates")


@pytest.fixture
def project(tmp_path: Path, shelf) -> Path:
    """A 1.0.0 project in git, after the user's edits (committed)."""
    root = tiny.generate(tmp_path, tmp_path / "templates/v1")
    tiny.commit(root, "generated")
    tiny.user_edits(root)
    tiny.commit(root, "edits")
    return root


@pytest.fixture
def cli_shelf(monkeypatch, shelf):
    """`kedro layout upgrade` run in-process sees the tiny versions as what is installed."""
    monkeypatch.setattr(upgrade_module, "TemplateShelf", lambda: shelf)
    return shelf


def outcomes(result) -> dict[str, FileOutcome]:
    return {c.path: c.outcome for c in result.changes if c.outcome != FileOutcome.UNCHANGED}


def test_each_file_gets_the_outcome_its_history_calls_for(project, shelf):
    result = upgrade(project, shelf=shelf)

    assert (result.from_version, result.to_version) == ("1.0.0", "2.0.0")
    assert outcomes(result) == EXPECTED
    assert result.conflicts == ("conf/base/extra.yml", "conf/base/parameters.yml")
    assert result.exit_code == 1
    unchanged = {c.path for c in result.changes if c.outcome == FileOutcome.UNCHANGED}
    assert f"{PIPELINES}/01_preprocessing/nodes.py" in unchanged
    assert "conf/base/catalog.yml" in unchanged


def test_user_changes_survive_and_template_changes_arrive(project, shelf):
    upgrade(project, shelf=shelf)

    def read(path: str) -> str:
        return (project / path).read_text()

    assert read("README.md") == ("# Tiny Lab, by me\n\nRun `kedro run --pipelines "
                                 "03_training`.\n\n## Serving\n\nNew in 2.0.0.\n")
    assert read(f"{PIPELINES}/03_training/nodes.py") == (
        "def fit(rows):\n    return sorted(rows, reverse=False)\n\n\n\n\n"
        "def score(model, row):\n    return row in set(model)\n")
    test = read("tests/pipelines/03_training/test_nodes.py")
    assert "tiny_lab.pipelines.03_training.nodes" in test and "def test_score" in test
    assert read("conf/base/parameters.yml") == (
        "a: 1\n<<<<<<< yours\nb: 3\n=======\nb: 20\n>>>>>>> template 2.0.0\n")
    assert read("conf/base/extra.yml") == (
        "<<<<<<< yours\nthreshold: 0.9\n=======\nthreshold: 0.5\n>>>>>>> template 2.0.0\n"
        "window: 7\n")
    assert read("data/01_raw/rows.csv") == "x\n9\n"
    assert '"x": 1' in read("notebooks/explore.ipynb")
    assert read("src/tiny_lab/legacy.py") == "LEGACY = 2\n"
    assert read("requirements.txt").endswith("onnxruntime>=1.18\n")
    assert read("src/tiny_lab/utils/new.py") == "NEW = 2\n"
    assert read("src/tiny_lab/helpers/__init__.py") == "HELP = 2\n"
    assert not (project / "src/tiny_lab/old_helper.py").exists()
    assert not (project / "docs.md").exists()
    assert not (project / f"{PIPELINES}/02_training").exists()
    assert (project / f"{PIPELINES}/02_tuning/nodes.py").is_file()  # the user's stage


def test_the_record_is_updated_and_the_manifest_keeps_the_users_stages(project, shelf):
    before = (project / "pyproject.toml").read_text()

    upgrade(project, shelf=shelf)

    after = (project / "pyproject.toml").read_text()
    pyproject = tomllib.loads(after)
    record = read_template_record(pyproject)
    assert record is not None and record.version == "2.0.0"
    assert dict(record.answers) == {"project_name": "Tiny Lab", "repo_name": "tiny-lab",
                                    "python_package": "tiny_lab", "stage_style": "numbered",
                                    "engine": "pandas"}
    stages = [s["folder"] for s in pyproject["tool"]["kedro_layout"]["stages"]]
    assert stages == ["01_preprocessing", "02_tuning", "03_training"]
    assert after == before.replace('version = "1.0.0"', 'version = "2.0.0"')


def test_a_second_upgrade_is_a_no_op_that_says_so(project, shelf, cli_shelf):
    upgrade(project, shelf=shelf)
    tiny.commit(project, "upgraded")
    before = tree_hashes(project)

    result = invoke(project, "upgrade")

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Already at template 2.0.0: nothing to do."
    assert tree_hashes(project) == before


def test_the_cli_lists_each_file_and_the_conflicts_and_exits_1(project, cli_shelf):
    result = invoke(project, "upgrade")

    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Upgraded from template 1.0.0 to 2.0.0:"
    assert "  conflict      conf/base/parameters.yml" in lines
    assert ("  kept deleted  docs.md  (you deleted it and the template changed it: "
            "not restored)") in lines
    assert ("  kept yours    data/01_raw/rows.csv  (changed by you and by the template; not "
            "merged as text (data, notebook or binary): the template's change is not "
            "applied)") in lines
    assert lines[-3:] == ["Conflicts: resolve the <<<<<<< / ======= / >>>>>>> markers in:",
                          "  conf/base/extra.yml", "  conf/base/parameters.yml"]
    counts = next(line for line in lines if line.startswith("Files: "))
    assert counts.startswith("Files: 4 updated, 2 merged, 2 conflict, 3 added, 2 removed, "
                             "1 kept deleted, 1 kept, 1 kept yours, ")


def test_json_lists_every_file_with_its_outcome(project, cli_shelf):
    result = invoke(project, "upgrade", "--dry-run", "--format", "json")

    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    assert document["dry_run"] is True
    assert (document["from_version"], document["to_version"]) == ("1.0.0", "2.0.0")
    files = {f["path"]: f["outcome"] for f in document["files"] if f["outcome"] != "unchanged"}
    assert files == {path: str(outcome) for path, outcome in EXPECTED.items()}
    assert document["conflicts"] == ["conf/base/extra.yml", "conf/base/parameters.yml"]
    assert document["summary"]["conflict"] == 2


def test_dry_run_prints_the_plan_and_changes_nothing(project, cli_shelf):
    before = tree_hashes(project)

    result = invoke(project, "upgrade", "--dry-run")

    assert result.exit_code == 1
    assert result.output.startswith("Dry run: nothing was written. Upgrading from template "
                                    "1.0.0 to 2.0.0:\n")
    assert "  removed       src/tiny_lab/old_helper.py" in result.output
    assert tree_hashes(project) == before


def test_the_users_catalog_entries_get_the_layers_fix_would_add(project, cli_shelf):
    """A catalog file the template leaves alone still gets the kedro-viz layer of the
    user's entry, in the same plan: shown by --dry-run, listed on its own line, in JSON."""
    with (project / "conf/base/catalog.yml").open("a") as stream:
        stream.write("\nscores:  # mine\n  type: json.JSONDataset\n"
                     "  filepath: data/05_reporting/scores.json\n")
    tiny.commit(project, "my dataset")
    before = tree_hashes(project)
    line = ("  layers        conf/base/catalog.yml  (kedro-viz layer added to scores, as "
            "`kedro layout fix` adds it)")

    dry = invoke(project, "upgrade", "--dry-run")
    as_json = json.loads(invoke(project, "upgrade", "--dry-run", "--format", "json").output)
    assert tree_hashes(project) == before
    done = invoke(project, "upgrade")

    assert line in dry.output.splitlines() and line in done.output.splitlines()
    assert as_json["layers"] == [{"path": "conf/base/catalog.yml", "datasets": ["scores"]}]
    assert (project / "conf/base/catalog.yml").read_text().endswith(
        "scores:  # mine\n  type: json.JSONDataset\n  filepath: data/05_reporting/scores.json\n"
        "  metadata:\n    kedro-viz:\n      layer: 05_reporting\n")


def test_to_a_version_between_stops_there_and_records_it(tmp_path, monkeypatch):
    """With 1.0.0 and 2.0.0 shipped and 3.0.0 installed, `--to 2.0.0` brings 2.0.0's
    template and records 2.0.0; a later plain upgrade goes on from there to 3.0.0."""
    shelf = tiny.shelf_of_three(tmp_path / "templates")
    monkeypatch.setattr(upgrade_module, "TemplateShelf", lambda: shelf)
    project = tiny.generate(tmp_path, tmp_path / "templates/1.0.0")
    tiny.commit(project, "generated")

    result = invoke(project, "upgrade", "--to", "2.0.0")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Upgraded from template 1.0.0 to 2.0.0:"
    assert "  updated  requirements.txt" in lines
    assert (project / "requirements.txt").read_text() == "kedro~=1.7.0\nonnxruntime>=1.18\n"
    assert "New in 2.0.0." in (project / "README.md").read_text()
    assert "New in 3.0.0." not in (project / "README.md").read_text()
    record = read_template_record(tomllib.loads((project / "pyproject.toml").read_text()))
    assert record is not None and record.version == "2.0.0"

    tiny.commit(project, "upgraded to 2.0.0")
    onwards = invoke(project, "upgrade")

    assert onwards.exit_code == 0, onwards.output
    assert onwards.output.splitlines()[0] == "Upgraded from template 2.0.0 to 3.0.0:"
    assert "New in 3.0.0." in (project / "README.md").read_text()
    assert (project / "requirements.txt").read_text().endswith("mlflow>=3\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--to", "0.9.0"], ("Error: --to 0.9.0 is older than 1.0.0, the version that "
                         "generated this project; an upgrade never goes back")),
    (["--to", "3.0.0"], ("Error: --to 3.0.0 is newer than the installed kedro-ml-structure "
                         "2.0.0; install 3.0.0 first")),
    (["--to", "two"], "Error: 'two' is not a version number, e.g. 0.2.0"),
    (["--answer", "engine"], ("Error: --answer 'engine': write KEY=VALUE, e.g. --answer "
                              "engine=spark")),
    (["--answer", "engine=dask"], ("Error: invalid engine 'dask': use one of pandas, spark; "
                                   "correct it with --answer engine=VALUE")),
    (["--answer", "colour=blue"], ("Error: --answer colour: no template version asks it; "
                                   "the answers are engine, project_name, python_package, "
                                   "repo_name, stage_style")),
    (["--answer", "python_package=other"],
     ("Error: the recorded answer python_package = 'other' does not match the project's "
      "[tool.kedro] package_name 'tiny_lab'; pass --answer python_package=tiny_lab to "
      "render the templates as the project is now")),
])
def test_refused_upgrades_say_why_in_one_line_and_change_nothing(project, cli_shelf, args,
                                                                 message):
    before = tree_hashes(project)

    result = invoke(project, "upgrade", *args)

    assert result.exit_code == 2
    assert result.output.strip() == message
    assert tree_hashes(project) == before


def test_a_dirty_tree_is_refused_unless_forced(project, cli_shelf):
    tiny.edit(project, "conf/base/catalog.yml", "rows:", "my_rows:")
    before = tree_hashes(project)

    refused = invoke(project, "upgrade")

    assert refused.exit_code == 2
    assert refused.output.strip() == (
        "Error: an upgrade needs a clean git tree but tracked files have changes "
        "(conf/base/catalog.yml); commit them first, or pass --force")
    assert tree_hashes(project) == before
    forced = invoke(project, "upgrade", "--force")
    assert forced.exit_code == 1
    assert (project / "conf/base/catalog.yml").read_text().startswith("my_rows:")


def test_a_project_outside_git_is_refused_unless_forced(tmp_path, shelf, cli_shelf):
    project = tiny.generate(tmp_path, tmp_path / "templates/v1")
    before = tree_hashes(project)

    refused = invoke(project, "upgrade")

    assert refused.exit_code == 2
    assert refused.output.strip() == (
        "Error: an upgrade needs the project in git (`git diff` shows what it did, `git "
        "checkout` undoes it) but no git repository holds it; commit it to one first, or "
        "pass --force")
    assert tree_hashes(project) == before
    assert invoke(project, "upgrade", "--force").exit_code == 0


def test_a_failure_half_way_leaves_the_project_as_it_was(project, shelf, monkeypatch):
    before = tree_hashes(project)
    fail_plan_at(monkeypatch, 5, OSError(28, "No space left on device"))

    with pytest.raises(LayoutError, match="nothing was changed"):
        upgrade(project, shelf=shelf)
    assert tree_hashes(project) == before


def test_removing_a_files_last_sibling_removes_its_folder(tmp_path, shelf):
    project = tiny.generate(tmp_path, tmp_path / "templates/v1")
    (project / "src/tiny_lab/gone").mkdir()
    (project / "src/tiny_lab/old_helper.py").rename(project / "src/tiny_lab/gone/helper.py")
    v1 = tmp_path / "templates/v1" / tiny.REPO / tiny.PKG
    (v1 / "gone").mkdir()
    (v1 / "old_helper.py").rename(v1 / "gone/helper.py")
    tiny.write_release(tmp_path / "templates/releases", "1.0.0", tmp_path / "templates/v1")

    result = upgrade(project, shelf=shelf, force=True)

    assert outcomes(result)["src/tiny_lab/gone/helper.py"] == FileOutcome.REMOVED
    assert not (project / "src/tiny_lab/gone").exists()
    assert "delete dir   src/tiny_lab/gone/" in result.plan.describe()


def test_a_project_without_a_record_is_upgraded_from_inferred_answers(tmp_path, cli_shelf,
                                                                      monkeypatch):
    """Projects of 0.1.0 recorded nothing: the answers come from the project itself (here
    the tiny 1.0.0 plays the part of the release that recorded nothing)."""
    project = tiny.generate(tmp_path, tmp_path / "templates/v1", record=False)
    tiny.commit(project)
    monkeypatch.setattr(upgrade_module, "UNRECORDED_VERSION", "1.0.0")

    result = invoke(project, "upgrade", "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:7] == [
        ("No template record in [tool.kedro_layout]: this project was generated by 1.0.0, "
         "with answers inferred from the project:"),
        "  project_name = 'Tiny Lab'  ([tool.kedro] project_name)",
        "  repo_name = 'tiny-lab'  ([project.scripts])",
        "  python_package = 'tiny_lab'  ([tool.kedro] package_name)",
        "  stage_style = 'numbered'  ([tool.kedro_layout] stage_style)",
        "  engine = 'pandas'  (conf/base/spark.yml does not exist)",
        "  (correct one with --answer KEY=VALUE)",
    ]
    assert "  updated  requirements.txt" in result.output


def test_an_answer_can_be_corrected_on_the_command_line(tmp_path, shelf):
    """A Spark project whose record says pandas: `--answer engine=spark` renders the
    Spark overlay on both sides, so its spark.yml is updated, not added."""
    project = tiny.generate(tmp_path, tmp_path / "templates/v1", engine="spark")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('engine = "spark"', 'engine = "pandas"'))

    wrong = plan_upgrade(project, shelf=shelf)
    right = plan_upgrade(project, shelf=shelf, answers={"engine": "spark"})

    assert "conf/base/spark.yml" not in {c.path for c in wrong.changes}
    assert outcomes(right)["conf/base/spark.yml"] == FileOutcome.UPDATED
    assert right.answers["engine"] == "spark"


def test_from_path_takes_a_checkout_of_a_version_that_is_not_shipped(tmp_path, shelf):
    project = tiny.generate(tmp_path, tmp_path / "templates/v1")
    (tmp_path / "templates/releases/index.toml").write_text("[releases]\n")
    with pytest.raises(LayoutError, match="no template of version 1.0.0 ships with "
                                          "kedro-ml-structure 2.0.0 .it has 2.0.0.; pass "
                                          "--from PATH"):
        plan_upgrade(project, shelf=shelf)
    checkout = tmp_path / "checkout"
    (checkout / "kedro_plugin_layout").mkdir(parents=True)
    (checkout / "kedro_plugin_layout/__init__.py").write_text('__version__ = "1.0.0"\n')
    tiny.write_template(checkout / "kedro_ml_starter/template", tiny.V1)

    result = plan_upgrade(project, shelf=shelf, from_path=checkout)

    assert outcomes(result)["requirements.txt"] == FileOutcome.UPDATED
    (checkout / "kedro_plugin_layout/__init__.py").write_text('__version__ = "1.1.0"\n')
    with pytest.raises(LayoutError, match="holds version 1.1.0, but version 1.0.0 generated "
                                          "this project"):
        plan_upgrade(project, shelf=shelf, from_path=checkout)


def test_a_link_or_folder_where_the_template_has_a_file_is_left_alone(project, shelf):
    (project / "requirements.txt").unlink()
    (project / "requirements.txt").symlink_to("README.md")
    (project / "src/tiny_lab/utils").mkdir()
    (project / "src/tiny_lab/utils/new.py").mkdir()

    result = upgrade(project, shelf=shelf, force=True)

    notes = {c.path: (c.outcome, c.note) for c in result.changes}
    kept = (FileOutcome.KEPT_YOURS, "not a regular file in your project: left as it is")
    assert notes["requirements.txt"] == notes["src/tiny_lab/utils/new.py"] == kept
    assert (project / "requirements.txt").is_symlink()
    assert (project / "src/tiny_lab/utils/new.py").is_dir()


def test_a_project_newer_than_the_installed_template_is_refused(project, cli_shelf):
    tiny.edit(project, "pyproject.toml", 'version = "1.0.0"', 'version = "3.0.0"')
    tiny.commit(project)
    before = tree_hashes(project)

    result = invoke(project, "upgrade")

    assert result.exit_code == 2
    assert result.output.strip() == ("Error: this project was generated by kedro-ml-structure "
                                     "3.0.0, newer than the installed 2.0.0; install 3.0.0 or "
                                     "newer to upgrade it")
    assert tree_hashes(project) == before


def test_a_project_the_starter_did_not_make_is_refused(tmp_path, cli_shelf, monkeypatch):
    """`kedro layout init` writes a manifest without a record into any Kedro project:
    such a project has few of the template's files, and is not upgraded into one."""
    project = tiny.generate(tmp_path, tmp_path / "templates/v1", record=False)
    for path in ("README.md", "docs.md", "requirements.txt", "conf/base/parameters.yml",
                 "conf/base/catalog.yml", "data/01_raw/rows.csv", "notebooks/explore.ipynb",
                 "src/tiny_lab/old_helper.py", "src/tiny_lab/legacy.py", "src/tiny_lab/helpers.py"):
        (project / path).unlink()
    tiny.commit(project)
    monkeypatch.setattr(upgrade_module, "UNRECORDED_VERSION", "1.0.0")
    before = tree_hashes(project)

    result = invoke(project, "upgrade")

    assert result.exit_code == 2
    assert result.output.strip().endswith(
        "pyproject.toml: has no template record and only 8 of the 18 files the ml-structure "
        "1.0.0 template generates: the starter did not make this project, so there is "
        "nothing to upgrade")
    assert tree_hashes(project) == before


# Templates that ask for the runtime's requirement line as the real one does.
DERIVING = {**tiny.COOKIECUTTER,
            "runtime_requirement": "{{ cookiecutter | runtime_requirement }}",
            "_extensions": ["kedro_ml_starter.origin.RuntimeRequirementExtension"]}
WHERE_IT_WAS = "kedro-ml-structure @ file:///old/place/kedro_ml_structure-1.0.0-py3-none-any.whl"


def _deriving_shelf(base: Path) -> TemplateShelf:
    def requirements(files: dict[str, str]) -> dict[str, str]:
        line = "{{ cookiecutter.runtime_requirement }}\n"
        return {**files, "requirements.txt": files["requirements.txt"] + line}

    tiny.write_release(base / "releases", "1.0.0",
                       tiny.write_template(base / "v1", requirements(tiny.V1), DERIVING))
    return TemplateShelf("2.0.0", tiny.write_template(base / "v2", requirements(tiny.V2),
                                                      DERIVING), base / "releases")


@pytest.mark.parametrize("given", [None, "kedro-ml-structure==2.0.0"])
def test_the_runtime_requirement_is_derived_again_from_what_upgrades(tmp_path, given):
    """The old template renders with the line generation wrote (recorded), the new one with
    the line of the kedro-ml-structure doing the upgrade, or the one --answer gives: the
    project's line moves with the runtime, as a version range in the template did."""
    shelf = _deriving_shelf(tmp_path / "templates")
    project = tiny.generate(tmp_path, tmp_path / "templates/v1",
                            answers={"runtime_requirement": WHERE_IT_WAS})
    assert (project / "requirements.txt").read_text().endswith(f"\n{WHERE_IT_WAS}\n")
    tiny.commit(project, "generated")

    result = upgrade(project, shelf=shelf,
                     answers={"runtime_requirement": given} if given else None)

    now = given or runtime_requirement()
    assert outcomes(result)["requirements.txt"] == FileOutcome.UPDATED
    assert (project / "requirements.txt").read_text() == (
        f"kedro~=1.7.0\nonnxruntime>=1.18\n{now}\n")
    record = read_template_record(tomllib.loads((project / "pyproject.toml").read_text()))
    assert record is not None and record.answers["runtime_requirement"] == now
