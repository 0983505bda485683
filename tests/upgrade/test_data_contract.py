"""Upgrading a project from before the data contract (0.1.0, 0.2.0): the contract written
describes the project's data, whatever the user did to the column table of
utils/schema.py; and the two merge aids that keep such a project's edits out of
conflicts (config files merged entry by entry, the estimator's arguments carried to
`estimator.arguments`)."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from kedro_ml_starter.runtime import ContractError, DataContract
from kedro_plugin_layout.adopt.inference import infer
from kedro_plugin_layout.upgrade.data_contract import (
    CONTRACT_FILE,
    contract_from_table,
    derive_contract,
    read_column_table,
)
from kedro_plugin_layout.upgrade.moved_keys import carry
from kedro_plugin_layout.upgrade.template_archive import TemplateShelf
from kedro_plugin_layout.upgrade.three_way import decide, merge_text
from kedro_plugin_layout.upgrade.yaml_entries import merge_entries

ROOT = Path(__file__).resolve().parents[2]
PENGUINS = ROOT / "kedro_ml_starter/template/{{ cookiecutter.repo_name }}/data/01_raw/penguins.csv"
SCHEMA = "src/lab/utils/schema.py"
TEMPLATE_CONTRACT = b"data_contract: {}  # the new template's\n"
CATALOG = """raw_penguins:
  type: pandas.CSVDataset
  filepath: data/01_raw/penguins.csv
  load_args:
    na_values: ["NA", ""]
    keep_default_na: false
"""


@pytest.fixture(scope="module", params=["0.1.0", "0.2.0"])
def old_schema(request, tmp_path_factory) -> str:
    """utils/schema.py as the template of each release before 0.3.0 wrote it."""
    template = TemplateShelf().template(request.param, tmp_path_factory.mktemp("template"))
    (path,) = template.glob("*/src/*/utils/schema.py")
    return path.read_text(encoding="utf-8")


def project_with(tmp_path: Path, schema: str | None, data: bool = True) -> SimpleNamespace:
    (tmp_path / "conf/base").mkdir(parents=True)
    (tmp_path / "conf/base/catalog.yml").write_text(CATALOG)
    if data:
        (tmp_path / "data/01_raw").mkdir(parents=True)
        shutil.copy(PENGUINS, tmp_path / "data/01_raw/penguins.csv")
    if schema is not None:
        (tmp_path / SCHEMA).parent.mkdir(parents=True)
        (tmp_path / SCHEMA).write_text(schema)
    return SimpleNamespace(root=tmp_path, package="lab")


def infer_contract(frame, target, task):
    return infer(frame, target, task=task).contract()


def derive(project: SimpleNamespace, old_schema: str):
    return derive_contract(project, {SCHEMA: old_schema.encode()},
                           {CONTRACT_FILE: TEMPLATE_CONTRACT}, infer_contract)


def test_the_old_templates_column_table_reads_as_the_penguins(old_schema):
    table = read_column_table(old_schema)

    assert table is not None and table.target == "species"
    by_name = {row["name"]: row for row in table.columns}
    assert list(by_name) == ["species", "island", "bill_length_mm", "bill_depth_mm",
                             "flipper_length_mm", "body_mass_g", "sex", "year"]
    assert by_name["species"]["categories"] == ("Adelie", "Chinstrap", "Gentoo")
    assert by_name["body_mass_g"]["maximum"] == 20_000
    assert by_name["year"]["feature"] is False


def test_the_translated_table_validates_as_the_old_template_did(old_schema):
    import pandas as pd

    frame = pd.read_csv(PENGUINS, na_values=["NA", ""], keep_default_na=False)
    contract = contract_from_table(read_column_table(old_schema), frame)

    assert (contract.target, contract.task) == ("species", "classification")
    assert contract.feature_names == ("island", "bill_length_mm", "bill_depth_mm",
                                      "flipper_length_mm", "body_mass_g", "sex")
    assert contract.column("year").role == "ignored"
    assert dict(contract.column("body_mass_g").bounds) == {"gt": 0.0, "le": 20_000.0}
    assert contract.column("sex").categories == ("female", "male")
    assert contract.example["island"] == "Torgersen" and "species" not in contract.example
    too_heavy = frame.head(3).assign(body_mass_g=25_000.0)
    with pytest.raises(ValueError, match="body_mass_g"):
        contract.validate(too_heavy)


def test_an_unchanged_schema_gets_the_templates_contract(tmp_path, old_schema):
    written = derive(project_with(tmp_path, old_schema), old_schema)

    assert written.source == "template" and written.text == TEMPLATE_CONTRACT.decode()
    assert "unchanged" in written.note


def test_an_edited_table_is_translated(tmp_path, old_schema):
    edited = old_schema.replace("maximum=20_000", "maximum=9_000").replace(
        '"sex of the penguin", ("female", "male"))',
        '"sex of the penguin", ("female", "male"), feature=False)')

    written = derive(project_with(tmp_path, edited), old_schema)

    contract = DataContract.from_parameters(yaml.safe_load(written.text)["data_contract"])
    assert written.source == "schema"
    assert written.note == (f"translated from your column table in {SCHEMA}: target "
                            "'species', 5 features")
    assert dict(contract.column("body_mass_g").bounds)["le"] == 9_000
    assert {c.name for c in contract.columns if c.role == "ignored"} == {"sex", "year"}
    assert "you changed it" in written.schema_note


def test_a_schema_without_a_table_is_inferred_from_the_raw_data(tmp_path, old_schema):
    model = ('import pandera.pandas as pa\nTARGET = "species"\n\n'
             "class Penguins(pa.DataFrameModel):\n    species: str\n")

    written = derive(project_with(tmp_path, model), old_schema)

    contract = DataContract.from_parameters(yaml.safe_load(written.text)["data_contract"])
    assert written.source == "data"
    assert written.note.startswith("inferred from data/01_raw/penguins.csv as `kedro layout "
                                   f"use-data` infers a file, since {SCHEMA} was no help "
                                   "(it holds no Column table): target 'species'")
    assert contract.target == "species" and contract.classification
    assert set(contract.feature_names) >= {"island", "bill_length_mm", "sex"}


def test_a_table_the_data_breaks_is_inferred_from_the_data_and_says_why(tmp_path, old_schema):
    tight = old_schema.replace("maximum=20_000", "maximum=100")

    written = derive(project_with(tmp_path, tight), old_schema)

    assert written.source == "data"
    assert "data/01_raw/penguins.csv does not pass its column table: column 'body_mass_g'" \
        in written.note


def test_with_no_table_and_no_data_the_template_contract_is_written_with_the_fix(
    tmp_path, old_schema
):
    written = derive(project_with(tmp_path, None, data=False), old_schema)

    assert written.source == "template"
    assert "could not be read (you deleted it) and no raw data file either; run `kedro " \
           "layout use-data FILE --target COLUMN`" in written.note
    assert written.schema_note == ""


def test_a_table_that_cannot_be_a_contract_is_refused_in_one_line(old_schema):
    table = read_column_table(old_schema.replace('"year", "integer"', '"year", "date"'))

    with pytest.raises(ContractError, match="column 'year' has kind 'date'; the table's kinds "
                                            "are number, integer, category"):
        contract_from_table(table, None)


# -- config files merged entry by entry ----------------------------------------------------

BASE = "# catalog\n\nraw_penguins:\n  type: a\n\nmodel:\n  type: m\n  save_args:\n    x: 1\n"
THEIRS = "# catalog\n\nraw_data:\n  type: a\n\nmodel:\n  type: m\n  save_args:\n    x: 2\n"


def entries(base: str, yours: str, theirs: str) -> tuple[str, int] | None:
    def lines(b: str, y: str, t: str) -> tuple[str, int]:
        merged = merge_text(b, y, t)
        return merged.text, merged.conflicts

    return merge_entries(base, yours, theirs, lines)


def test_an_entry_appended_next_to_a_changed_one_is_no_conflict():
    yours = BASE + "\n# mine\nreport:\n  type: json\n"

    assert merge_text(BASE, yours, THEIRS).conflicts == 1
    decision = decide(BASE.encode(), THEIRS.encode(), yours.encode(), entries=True)

    assert decision.conflicts == 0
    assert decision.content.decode() == THEIRS + "\n# mine\nreport:\n  type: json\n"


def test_an_entry_you_deleted_stays_deleted_and_one_you_changed_that_went_conflicts():
    deleted = "# catalog\n\nraw_penguins:\n  type: a\n"
    assert entries(BASE, deleted, THEIRS) == ("# catalog\n\nraw_data:\n  type: a\n", 0)

    changed = BASE.replace("  type: a\n", "  type: mine\n")
    text, conflicts = entries(BASE, changed, THEIRS)
    assert conflicts == 1 and "<<<<<<<" in text and "raw_data:\n  type: a\n" in text


def test_a_file_with_a_document_marker_is_left_to_the_line_merge():
    assert entries("---\n" + BASE, "---\n" + BASE + "x: 1\n", "---\n" + THEIRS) is None


# -- the estimator's arguments carried to their 0.3.0 place -------------------------------

OLD_PARAMETERS = ("model_training:\n  # Passed to LogisticRegression.\n  logistic_regression:\n"
                  "    C: 1.0\n    max_iter: 1000\n    tol: 0.0002  # mine\n\nother: 1\n")


def test_logistic_regression_arguments_move_under_the_estimator():
    moved = carry("conf/base/parameters_model_training.yml", OLD_PARAMETERS, "0.2.0", "0.3.0")

    assert yaml.safe_load(moved) == {
        "model_training": {"estimator": {
            "type": "sklearn.linear_model.LogisticRegression",
            "arguments": {"C": 1.0, "max_iter": 1000, "tol": 0.0002}}},
        "other": 1}
    assert "      tol: 0.0002  # mine\n" in moved


@pytest.mark.parametrize(("path", "start", "end"), [
    ("conf/base/parameters_model_training.yml", "0.3.0", "0.3.1"),  # crosses no move
    ("conf/base/parameters_api.yml", "0.2.0", "0.3.0"),  # another file
])
def test_nothing_moves_that_the_versions_did_not_move(path, start, end):
    assert carry(path, OLD_PARAMETERS, start, end) == OLD_PARAMETERS


OLD_CATALOG = "raw_penguins:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/mine.csv\n"


def test_catalog_entries_are_renamed_where_the_new_template_renamed_them():
    generic = "raw_data:\n  type: pandas.CSVDataset\n"

    renamed = carry("conf/base/catalog.yml", OLD_CATALOG, "0.2.0", "0.3.0", generic)

    assert renamed == OLD_CATALOG.replace("raw_penguins:", "raw_data:")
    # a new template that kept the old name (0.3.0's Spark catalog) renames nothing
    assert carry("conf/base/catalog.yml", OLD_CATALOG, "0.2.0", "0.3.0",
                 OLD_CATALOG) == OLD_CATALOG
    # nor onto a name the user's file already has
    both = OLD_CATALOG + "raw_data:\n  type: mine\n"
    assert carry("conf/base/catalog.yml", both, "0.2.0", "0.3.0", generic) == both
