"""`kedro layout use-data` on a small project: what it writes, what it keeps, what it refuses.

Each test builds its own project (tests/use_data/projects.py) and runs the command as Kedro
would (in-process, with the project's metadata); two run it as a user does, through
`python -m kedro_plugin_layout` and `kedro layout`. A refusal is one line, exit code 2,
and not a byte changed.
"""

from __future__ import annotations

import re
import textwrap

import pandas as pd
import pytest
import yaml

from kedro_ml_starter.runtime import DataContract
from kedro_plugin_layout.project.config import yaml_loader
from tests.plugin.layout_projects import invoke
from tests.support import PYTHON, fail_plan_at, new_project, run, tree_hashes
from tests.use_data import datasets
from tests.use_data.projects import (
    CATALOG,
    SPARK_CATALOG,
    SPARK_TRAINING,
    TRAINING,
    small_project,
)

RAW = "data/01_raw/customers export.csv"
SAMPLE = "data/06_scoring/new_customers export.csv"


def catalog(root):
    return yaml.load((root / "conf/base/catalog.yml").read_text(), Loader=yaml_loader())


def comments(text):
    """Every comment of a YAML text, in order (the text after each `#`)."""
    return [line[line.index("#"):] for line in text.splitlines() if "#" in line]


def changes(before, after):
    changed = {path for path in before if path in after and before[path] != after[path]}
    return changed, set(after) - set(before), set(before) - set(after)


def test_use_data_adopts_the_file_and_changes_only_what_depends_on_the_data(tmp_path):
    root = small_project(tmp_path)
    file = datasets.messy(tmp_path)
    before = tree_hashes(root)

    result = invoke(root, "use-data", str(file.path), "--target", "churned")

    assert result.exit_code == 0, result.output
    changed, created, removed = changes(before, tree_hashes(root))
    assert changed == {"conf/base/catalog.yml", "conf/base/parameters_data_contract.yml"}
    assert created == {RAW, SAMPLE}
    assert removed == set()
    assert (root / RAW).read_bytes() == file.path.read_bytes()
    # the summary: every column's kind, role and why, the task, the class balance
    lines = result.stdout.splitlines()
    assert lines[0] == ("customers export.csv: 160 rows, 9 columns. Task: classification of "
                        "'churned' (text with 2 values).")
    row = {line.split()[0]: line for line in lines[3:12]}
    assert row["Customer"].split()[2:5] == ["integer", "ignored", "0%"]
    assert "an identifier" in row["Customer"]
    assert "plausible from 0 to 140" in row["age"] and "11%" in row["age"]
    assert "basic, plus, premium" in row["plan"]
    assert "free text" in row["comment"] and "a date (2023-01-01" in row["signup"]
    assert "Classes of 'churned': no 88 (55%), yes 72 (45%). Positive class: yes" in result.stdout
    assert "Note: data/01_raw/penguins.csv is no longer read" in result.stdout
    assert ("Note: data/01_raw/README.md describes penguins.csv: say where your data comes "
            "from, and its licence") in result.stdout
    assert f"  create file  {RAW}" in result.stdout
    # the catalog: both entries point at the new files, the user's comments all kept
    entries = catalog(root)
    assert entries["raw_data"] == {"type": "pandas.CSVDataset", "filepath": RAW,
                                   "metadata": {"kedro-viz": {"layer": "01_raw"}},
                                   "load_args": {"sep": ";"}}
    assert entries["new_rows"]["filepath"] == SAMPLE
    assert entries["new_rows"]["load_args"] == {"sep": ";"}
    assert entries["predictions"] == yaml.safe_load(CATALOG)["predictions"]
    assert comments((root / "conf/base/catalog.yml").read_text()) == comments(CATALOG)
    # the contract, as the stages will read it
    contract = DataContract.load(root)
    assert (contract.target, contract.task) == ("churned", "classification")
    assert set(contract.to_parameters()["ignored"]) == {"Customer ID", "country", "comment",
                                                        "signup date"}
    assert "churned" not in contract.example
    # the scoring sample: rows of the file without the target, read as the catalog reads it
    source = pd.read_csv(file.path, sep=";")
    sample = pd.read_csv(root / SAMPLE, **entries["new_rows"]["load_args"])
    assert list(sample.columns) == [c for c in source.columns if c != "churned"]
    assert 10 <= len(sample) <= 20
    assert sample["Customer ID"].isin(source["Customer ID"]).all()
    assert (root / "conf/base/parameters_model_training.yml").read_text() == TRAINING


def test_dry_run_shows_the_decisions_and_the_plan_and_writes_nothing(tmp_path):
    root = small_project(tmp_path)
    file = datasets.messy(tmp_path)
    before = tree_hashes(root)

    result = invoke(root, "use-data", str(file.path), "--target", "churned", "--dry-run")

    assert result.exit_code == 0, result.output
    assert tree_hashes(root) == before
    assert "Dry run: nothing was written. The plan:" in result.stdout
    plan = result.stdout.split("The plan:\n")[1]
    assert plan.splitlines()[:4] == [
        f"  create file  {RAW}", f"  create file  {SAMPLE}",
        "  edit file    conf/base/catalog.yml (+4 -6 lines)",
        "  edit file    conf/base/parameters_data_contract.yml (+60 -6 lines)"]
    assert f"  +  filepath: {RAW}" in plan


def test_regression_replaces_an_estimator_made_for_classes(tmp_path):
    root = small_project(tmp_path)
    file = datasets.messy(tmp_path, target="monthly spend ($)")

    result = invoke(root, "use-data", str(file.path), "--target", file.target)

    assert result.exit_code == 0, result.output
    assert "Task: regression of 'monthly spend ($)' (numbers with 157 distinct values)" in \
        result.stdout
    assert "Target 'monthly spend ($)': from 18.9 to 81.66, mean 49.78." in result.stdout
    assert ("Note: LogisticRegression cannot learn a regression target: "
            "`model_training.estimator` becomes sklearn.linear_model.Ridge") in result.stdout
    text = (root / "conf/base/parameters_model_training.yml").read_text()
    assert yaml.safe_load(text) == {"model_training": {
        "estimator": {"type": "sklearn.linear_model.Ridge", "arguments": {"alpha": 1.0}},
        "seed": 42}}
    assert comments(text) == comments(TRAINING)
    assert DataContract.load(root).task == "regression"


def test_classification_replaces_an_estimator_made_for_numbers(tmp_path):
    training = TRAINING.replace("sklearn.linear_model.LogisticRegression",
                                "sklearn.linear_model.Ridge").replace(
        "      C: 1.0\n      max_iter: 1000\n", "      alpha: 1.0\n")
    root = small_project(tmp_path, training=training)

    result = invoke(root, "use-data", str(datasets.iris(tmp_path).path), "--target", "species")

    assert result.exit_code == 0, result.output
    assert "Note: Ridge cannot learn a classification target" in result.stdout
    assert yaml.safe_load((root / "conf/base/parameters_model_training.yml").read_text())[
        "model_training"]["estimator"] == {"type": "sklearn.linear_model.LogisticRegression",
                                           "arguments": {"C": 1.0, "max_iter": 1000}}


def test_an_estimator_that_suits_the_task_is_the_users_and_stays(tmp_path):
    training = TRAINING.replace("sklearn.linear_model.LogisticRegression",
                                "sklearn.ensemble.RandomForestRegressor").replace(
        "      C: 1.0\n      max_iter: 1000\n", "      n_estimators: 50\n")
    root = small_project(tmp_path, training=training)

    result = invoke(root, "use-data", str(datasets.diabetes(tmp_path).path), "--target",
                    "progression")

    assert result.exit_code == 0, result.output
    assert (root / "conf/base/parameters_model_training.yml").read_text() == training


def test_running_it_again_with_the_same_file_changes_nothing(tmp_path):
    root = small_project(tmp_path)
    file = datasets.messy(tmp_path)
    assert invoke(root, "use-data", str(file.path), "--target", "churned").exit_code == 0
    before = tree_hashes(root)

    again = invoke(root, "use-data", str(file.path), "--target", "churned")

    assert again.exit_code == 0, again.output
    assert "Nothing to do" in again.stdout
    assert tree_hashes(root) == before


def test_a_different_file_of_the_same_name_replaces_the_copy_and_the_plan_says_so(tmp_path):
    root = small_project(tmp_path)
    file = datasets.messy(tmp_path)
    assert invoke(root, "use-data", str(file.path), "--target", "churned").exit_code == 0
    datasets.messy_frame(rows=150, seed=3).to_csv(file.path, index=False, sep=";")

    result = invoke(root, "use-data", str(file.path), "--target", "churned", "--dry-run")

    assert result.exit_code == 0, result.output
    assert f"  replace file {RAW} (overwrites the file there: 15.7 kB -> 14.7 kB)" in \
        result.stdout
    assert invoke(root, "use-data", str(file.path), "--target", "churned").exit_code == 0
    assert (root / RAW).read_bytes() == file.path.read_bytes()


def test_a_parquet_file_is_read_and_sampled_as_parquet(tmp_path):
    root = small_project(tmp_path)
    file = datasets.breast_cancer(tmp_path)

    result = invoke(root, "use-data", str(file.path), "--target", "benign", "--positive-class",
                    "0")

    assert result.exit_code == 0, result.output
    entries = catalog(root)
    assert entries["raw_data"] == {"type": "pandas.ParquetDataset",
                                   "filepath": "data/01_raw/breast_cancer.parquet",
                                   "metadata": {"kedro-viz": {"layer": "01_raw"}}}
    assert entries["new_rows"]["type"] == "pandas.ParquetDataset"
    sample = pd.read_parquet(root / entries["new_rows"]["filepath"])
    assert "benign" not in sample.columns and len(sample) == 20
    contract = DataContract.load(root)
    assert (contract.classes, contract.positive) == (("0", "1"), "0")


def test_a_file_already_in_the_raw_folder_is_used_where_it_is(tmp_path):
    root = small_project(tmp_path)
    file = datasets.iris(root / "data/01_raw")

    result = invoke(root, "use-data", str(file.path), "--target", "species")

    assert result.exit_code == 0, result.output
    assert "data/01_raw/iris.csv" not in result.stdout.split("Wrote:")[1]
    assert catalog(root)["raw_data"]["filepath"] == "data/01_raw/iris.csv"


def test_a_failure_while_writing_leaves_the_project_as_it_was(tmp_path, monkeypatch):
    root = small_project(tmp_path)
    file = datasets.messy(tmp_path)
    before = tree_hashes(root)
    fail_plan_at(monkeypatch, 3, OSError(28, "No space left on device"))

    result = invoke(root, "use-data", str(file.path), "--target", "churned")

    assert result.exit_code == 2
    assert result.stderr == ("Error: could not edit conf/base/catalog.yml (No space left on "
                             "device); nothing was changed, fix the cause and run the command "
                             "again\n")
    assert tree_hashes(root) == before


def test_a_spark_project_gets_spark_entries(tmp_path):
    root = small_project(tmp_path, catalog=SPARK_CATALOG)
    frame = datasets.messy_frame().rename(columns=lambda c: re.sub(r"\W+", "_", c).strip("_"))
    frame.to_csv(tmp_path / "customers.csv", index=False)

    result = invoke(root, "use-data", str(tmp_path / "customers.csv"), "--target", "churned")

    assert result.exit_code == 0, result.output
    assert catalog(root)["raw_data"] == {
        "type": "spark.SparkDatasetV2",
        "filepath": "${globals:data_root,data}/01_raw/customers.csv", "file_format": "csv",
        "metadata": {"kedro-viz": {"layer": "01_raw"}},
        "load_args": {"nullValue": "NA", "header": True}}
    assert (root / "data/01_raw/customers.csv").is_file()


def test_a_spark_project_takes_any_column_names_and_a_spark_regressor_for_regression(
        tmp_path):
    """Names with spaces and symbols, a `;` CSV, and the task switched: the estimator that
    replaces a classifier is Spark MLlib's, never a scikit-learn path."""
    root = small_project(tmp_path, catalog=SPARK_CATALOG, training=SPARK_TRAINING)
    file = datasets.messy(tmp_path, target="monthly spend ($)")

    result = invoke(root, "use-data", str(file.path), "--target", file.target)

    assert result.exit_code == 0, result.output
    assert catalog(root)["raw_data"]["load_args"] == {"nullValue": "NA", "header": True,
                                                      "sep": ";"}
    assert catalog(root)["new_rows"]["filepath"] == \
        "data/06_scoring/new_customers export.csv"
    assert DataContract.load(root).target == "monthly spend ($)"
    assert ("Note: LogisticRegression cannot learn a regression target: "
            "`model_training.estimator` becomes pyspark.ml.regression.LinearRegression (any "
            "Spark MLlib estimator for regression works there)") in result.stdout
    text = (root / "conf/base/parameters_model_training.yml").read_text()
    assert yaml.safe_load(text) == {"model_training": {
        "estimator": {"type": "pyspark.ml.regression.LinearRegression",
                      "arguments": {"regParam": 0.0001, "maxIter": 200}},
        "seed": 42}}
    assert comments(text) == comments(SPARK_TRAINING)


@pytest.mark.parametrize(("estimator", "kept"), [
    ("pyspark.ml.classification.RandomForestClassifier", True),  # suits the task
    ("pyspark.ml.regression.LinearRegression", False),  # a regressor: swapped
    ("sklearn.linear_model.Ridge", True),  # not Spark's: `kedro run` says so in one line
])
def test_a_spark_project_keeps_an_estimator_unless_it_is_spark_mllibs_for_the_other_task(
        tmp_path, estimator, kept):
    training = SPARK_TRAINING.replace("pyspark.ml.classification.LogisticRegression",
                                      estimator)
    root = small_project(tmp_path, catalog=SPARK_CATALOG, training=training)

    result = invoke(root, "use-data", str(datasets.iris(tmp_path).path), "--target", "species")

    assert result.exit_code == 0, result.output
    text = (root / "conf/base/parameters_model_training.yml").read_text()
    assert (text == training) is kept, text
    if not kept:
        assert yaml.safe_load(text)["model_training"]["estimator"] == {
            "type": "pyspark.ml.classification.LogisticRegression",
            "arguments": {"regParam": 0.0001, "maxIter": 200, "tol": 1.0e-7}}


def refusals(tmp_path):
    """(what the test sets up -> the CLI arguments, the one error line expected)."""
    folder = tmp_path / "files"
    folder.mkdir()
    messy = datasets.messy(folder)
    (folder / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "rows.csv.gz").write_bytes(b"\x1f\x8b\x08")
    (folder / "empty.csv").write_bytes(b"")
    (folder / "latin1.csv").write_bytes("name,size\ncaf\xe9,1\n".encode("latin-1") * 30)
    (folder / "header.csv").write_text("a,b,label\n")
    (folder / "one.csv").write_text("label\n" + "a\nb\n" * 20)
    (folder / "twice.csv").write_text("a,a,label\n" + "1,2,x\n3,4,y\n" * 20)
    (folder / "broken.parquet").write_bytes(b"PAR1 not really")
    (folder / "${x}.csv").write_text("a,label\n1,x\n")
    return {
        "missing file": ([str(folder / "nope.csv")], f"Error: {folder / 'nope.csv'}: no such "
                         "file; check the path"),
        "a folder": ([str(folder)], f"Error: {folder}: is a folder; pass a CSV or Parquet file"),
        "a URL": (["s3://bucket/rows.csv"], "Error: s3://bucket/rows.csv: use-data reads a "
                  "local file; download it first and pass its path"),
        "excel": ([str(folder / "sheet.xlsx")], f"Error: {folder / 'sheet.xlsx'}: is not a CSV "
                  "or Parquet file (.xlsx); save it as .csv or .parquet"),
        "compressed": ([str(folder / "rows.csv.gz")], f"Error: {folder / 'rows.csv.gz'}: is "
                       "compressed; decompress it and pass the CSV or Parquet file"),
        "empty": ([str(folder / "empty.csv")], f"Error: {folder / 'empty.csv'}: is empty; "
                  "use-data needs the data the model learns from"),
        "not UTF-8": ([str(folder / "latin1.csv")], f"Error: {folder / 'latin1.csv'}: is not "
                      "UTF-8 text; save it as UTF-8 (or as Parquet) and run again"),
        "no rows": ([str(folder / "header.csv")], f"Error: {folder / 'header.csv'}: has no "
                    "rows; use-data needs the data the model learns from"),
        "one column": ([str(folder / "one.csv")], f"Error: {folder / 'one.csv'}: has 1 "
                       "column: it needs a target and at least one feature (is the delimiter "
                       "one of , ; tab |?)"),
        "a name twice": ([str(folder / "twice.csv")], f"Error: {folder / 'twice.csv'}: names "
                         "the column 'a' twice; give each column its own name"),
        "broken parquet": ([str(folder / "broken.parquet")], "Error: "
                           f"{folder / 'broken.parquet'}: cannot be read as Parquet ("),
        "interpolation": ([str(folder / "${x}.csv")], f"Error: {folder / '${x}.csv'}: its "
                          "name holds `${`, which Kedro's config reads as an interpolation; "
                          "rename the file"),
        "no such target": ([str(messy.path), "--target", "Churned"], "Error: the file has no "
                           "column 'Churned' (names are case-sensitive); did you mean "
                           "'churned'?"),
        "text as regression": ([str(messy.path), "--target", "churned", "--task",
                                "regression"], "Error: the target 'churned' holds text values "
                               "(no, yes, ...), which regression cannot predict; use --task "
                               "classification"),
        "continuous as classes": ([str(messy.path), "--target", "monthly spend ($)", "--task",
                                   "classification"], "Error: the target 'monthly spend ($)' "
                                  "holds continuous numbers (157 distinct values), which are "
                                  "not classes; use --task regression"),
        "one value": ([str(messy.path), "--target", "country"], "Error: the target 'country' "
                      "has one value (NL) in every row: there is nothing to learn; choose "
                      "another --target"),
        "bad task": ([str(messy.path), "--target", "churned", "--task", "ranking"],
                     "Error: Invalid value for '--task': 'ranking' is not one of "
                     "'classification', 'regression'."),
    }


REFUSALS = ("missing file", "a folder", "a URL", "excel", "compressed", "empty", "not UTF-8",
            "no rows", "one column", "a name twice", "broken parquet", "interpolation",
            "no such target", "text as regression", "continuous as classes", "one value",
            "bad task")


@pytest.mark.parametrize("case", REFUSALS)
def test_a_file_or_target_that_cannot_be_used_is_refused_in_one_line(tmp_path, case):
    root = small_project(tmp_path)
    arguments, message = refusals(tmp_path)[case]
    if "--target" not in arguments:
        arguments = [*arguments, "--target", "label"]
    before = tree_hashes(root)

    result = invoke(root, "use-data", *arguments)

    assert result.exit_code == 2, result.output
    error = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(error) == 1 and error[0].startswith(message), result.stderr
    assert result.stdout == ""
    assert tree_hashes(root) == before


@pytest.mark.parametrize(("setup", "message"), [
    (lambda root: (root / "conf/base/parameters_data_contract.yml").unlink(),
     "conf/base/parameters_data_contract.yml is missing: this project predates the data "
     "contract; run `kedro layout upgrade` first"),
    (lambda root: (root / "conf/base/catalog.yml").write_text(CATALOG.replace("new_rows:",
                                                                              "rows_to_score:")),
     "the catalog of conf/base has no `new_rows` entry; add it back (see the starter's "
     "catalog.yml) and run again"),
    (lambda root: (root / "conf/base/catalog.yml").write_text(CATALOG.replace(
        "filepath: data/01_raw/penguins.csv", "filepath: ../shared/penguins.csv")),
     "`raw_data` points at {outside}/shared/customers export.csv, outside the project; point it "
     "inside (e.g. data/01_raw/) first"),
    (lambda root: (root / "conf/base/catalog.yml").write_text(CATALOG.replace(
        "filepath: data/01_raw/penguins.csv", "filepath: s3://bucket/raw/penguins.csv")),
     "`raw_data` points at s3://bucket/raw/customers export.csv, outside this machine's "
     "project folder; use-data writes local files only"),
    (lambda root: (root / "data/01_raw/customers export.csv").symlink_to("/etc/hostname"),
     "data/01_raw/customers export.csv exists and is not a regular file (a link or a folder); "
     "move it away and run again"),
    (lambda root: (root / "pyproject.toml").write_text("[project]\nname = 'x'\n"),
     "pyproject.toml: no [tool.kedro] package_name: not a Kedro project"),
])
def test_a_project_that_cannot_take_the_file_is_refused_in_one_line(tmp_path, setup, message):
    root = small_project(tmp_path)
    file = datasets.messy(tmp_path)
    setup(root)
    before = tree_hashes(root)

    result = invoke(root, "use-data", str(file.path), "--target", "churned")

    assert result.exit_code == 2, result.output
    error = result.stderr.strip()
    assert "\n" not in error
    assert message.format(outside=tmp_path) in error
    assert tree_hashes(root) == before


def test_python_m_and_kedro_layout_run_the_same_command(tmp_path):
    root = small_project(tmp_path)
    file = datasets.iris(tmp_path)
    before = tree_hashes(root)

    module = run([PYTHON, "-m", "kedro_plugin_layout", "use-data", str(file.path), "--target",
                  "species", "--dry-run"], root)
    refused = run([PYTHON, "-m", "kedro_plugin_layout", "use-data", str(file.path), "--target",
                   "petal"], root)

    assert module.returncode == 0, module.stderr
    assert "Task: classification of 'species' (text with 3 values)" in module.stdout
    assert "  create file  data/01_raw/iris.csv" in module.stdout
    assert refused.returncode == 2
    assert refused.stderr.strip() == ("Error: the file has no column 'petal' (names are "
                                      "case-sensitive); the columns are sepal length (cm), "
                                      "sepal width (cm), petal length (cm), petal width (cm), "
                                      "species")
    assert tree_hashes(root) == before


def test_the_help_says_what_it_does():
    from click.testing import CliRunner

    from kedro_plugin_layout.cli import layout

    result = CliRunner().invoke(layout, ["use-data", "--help"])

    assert result.exit_code == 0
    help_text = " ".join(result.output.split())
    assert "Make FILE (CSV or Parquet) the project's data" in help_text
    for option in ("--target COLUMN", "--task [classification|regression]",
                   "--positive-class CLASS", "--dry-run"):
        assert option in help_text


def test_comments_inside_an_entry_written_in_flow_style_are_rewritten_in_block_style(tmp_path):
    flow = CATALOG.replace(textwrap.dedent("""\
        new_rows:
          type: pandas.CSVDataset
          filepath: data/06_scoring/new_penguins.csv
          metadata:
            kedro-viz:
              layer: 06_scoring
          load_args:
            na_values: ["NA", ""]
            keep_default_na: false
        """), "new_rows: {type: pandas.CSVDataset, filepath: data/06_scoring/new.csv}\n")
    root = small_project(tmp_path, catalog=flow)

    result = invoke(root, "use-data", str(datasets.iris(tmp_path).path), "--target", "species")

    assert result.exit_code == 0, result.output
    assert catalog(root)["new_rows"] == {"type": "pandas.CSVDataset",
                                         "filepath": "data/06_scoring/new_iris.csv"}
    assert comments((root / "conf/base/catalog.yml").read_text()) == comments(flow)


def test_a_spark_project_without_raw_data_is_refused_in_one_line(tmp_path):
    root = small_project(tmp_path, catalog=SPARK_CATALOG.replace("raw_data:", "raw_penguins:"))
    before = tree_hashes(root)

    result = invoke(root, "use-data", str(datasets.iris(tmp_path).path), "--target",
                    "species")

    assert result.exit_code == 2
    assert result.stderr == (f"Error: {root}: the catalog of conf/base has no `raw_data` "
                             "entry; add it back (see the starter's catalog.yml) and run "
                             "again\n")
    assert tree_hashes(root) == before


def test_overrides_in_conf_local_are_named(tmp_path):
    root = small_project(tmp_path)
    (root / "conf/local/catalog.yml").write_text(
        "raw_data:\n  type: pandas.CSVDataset\n  filepath: /mnt/shared/penguins.csv\n")
    (root / "conf/local/parameters.yml").write_text("data_contract:\n  target: species\n")

    result = invoke(root, "use-data", str(datasets.iris(tmp_path).path), "--target", "species")

    assert result.exit_code == 0, result.output
    assert ("Note: conf/local/catalog.yml overrides `raw_data` of conf/base for its "
            "environment: bring it in line with the new data") in result.stdout
    assert "Note: conf/local/parameters.yml overrides `data_contract` of conf/base" in \
        result.stdout


def test_the_spark_defaults_are_the_estimators_a_spark_project_starts_with(spark_project,
                                                                          tmp_path):
    """The swap writes what `kedro new` writes for that task: one default per engine."""
    from kedro_plugin_layout.adopt.estimator import DEFAULTS

    regression = new_project(tmp_path, config={"project_name": "Spark Mass", "engine": "spark",
                                               "task": "regression"})
    for project, task in ((spark_project, "classification"), (regression, "regression")):
        text = (project / "conf/base/parameters_model_training.yml").read_text()
        assert yaml.safe_load(text)["model_training"]["estimator"] == DEFAULTS["spark"][task]
