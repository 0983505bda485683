"""The data contract: what it reads from `params:data_contract`, what it refuses (one line
naming the key and the fix), what it derives, and that it round-trips through its file."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
import yaml

from kedro_ml_starter.runtime import ContractError, DataContract, DataValidationError

SCHEMA = {
    "schema_type": "dataframe",
    "api": "pandas",
    "columns": {
        "od280/od315 of wines": {"dtype": "float64", "nullable": True, "greater_than": 0,
                                 "less_than_or_equal_to": 10, "description": "a ratio"},
        "colour": {"dtype": "category", "nullable": True, "isin": ["red", "white"]},
        "vintage": {"dtype": "int64", "nullable": False},
        "1st note": {"dtype": "str", "nullable": True},
        "class": {"dtype": "category", "isin": ["0", "1"]},
    },
}
PARAMETERS = {"target": "class", "task": "classification", "positive_class": "1",
              "ignored": {"1st note": "free text"},
              "example": {"od280/od315 of wines": 3.1, "colour": "red", "vintage": 2001,
                          "class": "1"},
              "schema": SCHEMA}


def contract(**changes) -> DataContract:
    return DataContract.from_parameters({**PARAMETERS, **changes})


def test_kinds_roles_and_python_names_come_from_the_schema():
    read = contract()
    assert [(c.name, c.kind, c.role, c.field) for c in read.columns] == [
        ("od280/od315 of wines", "number", "feature", "od280_od315_of_wines"),
        ("colour", "category", "feature", "colour"),
        ("vintage", "integer", "feature", "vintage"),
        ("1st note", "text", "ignored", "c_1st_note"),
        ("class", "category", "target", "class_"),
    ]
    assert read.column("1st note").reason == "free text"
    assert read.column("od280/od315 of wines").bounds == {"gt": 0.0, "le": 10.0}
    assert read.feature_kinds() == {"od280/od315 of wines": "number", "colour": "category",
                                    "vintage": "integer"}
    assert [c.name for c in read.request_columns] == ["od280/od315 of wines", "colour",
                                                      "vintage", "1st note"]
    assert read.example == {"od280/od315 of wines": 3.1, "colour": "red", "vintage": 2001}


def test_binary_classification_names_its_outputs_and_positive_class():
    read = contract()
    assert (read.classes, read.binary, read.positive) == (("0", "1"), True, "1")
    assert read.output_columns == ("predicted_class", "probability_0", "probability_1")
    assert contract(positive_class=None).positive == "1"  # the last category
    regression = contract(target="od280/od315 of wines", task="regression",
                          positive_class=None)
    assert regression.classes == () and regression.positive is None
    assert regression.output_columns == ("predicted_od280/od315 of wines",)
    assert regression.column("class").role == "feature"


def test_it_round_trips_through_its_file(tmp_path):
    read = contract()
    path = read.save(tmp_path)
    assert path == tmp_path / "conf/base/parameters_data_contract.yml"
    assert path.read_text().startswith("# The data contract: ")
    assert DataContract.load(tmp_path) == read
    saved = yaml.safe_load(path.read_text())["data_contract"]
    assert pa.DataFrameSchema.from_yaml(yaml.safe_dump(saved["schema"])).columns.keys() == \
        SCHEMA["columns"].keys()  # pandera itself reads the schema


def test_from_schema_takes_an_inferred_pandera_schema_and_drops_its_index():
    frame = pd.DataFrame({"size": [1.0, 2.5], "weight": [3, 4], "kind": ["a", "b"]})
    inferred = pa.infer_schema(frame)
    with pytest.raises(ContractError, match="the target 'kind' holds text values"):
        DataContract.from_schema(inferred, target="kind", task="classification")
    with pytest.raises(ContractError, match="the contract has no feature"):
        DataContract.from_schema(inferred, target="size", task="regression",
                                 ignored={"kind": "a label", "weight": "unknown later"})
    read = DataContract.from_schema(inferred, target="size", task="regression",
                                    ignored={"kind": "a label"})
    assert "index" not in read.to_parameters()["schema"]
    assert (read.target, read.feature_names) == ("size", ("weight",))


@pytest.mark.parametrize(("changes", "message"), [
    ({"task": "clustering"}, ("`data_contract.task` in conf/base/parameters_data_contract.yml "
                             "must be one of classification, regression, got 'clustering'")),
    ({"target": "grape"}, ("`data_contract.target` in conf/base/parameters_data_contract.yml "
                          "is 'grape', which is not a column of the schema")),
    ({"task": "regression", "positive_class": None}, ("the target 'class' holds category "
                                                     "values, which regression cannot predict")),
    ({"target": "vintage"}, ("the target 'vintage' holds integer values, which classification "
                            "cannot predict")),
    ({"positive_class": "2"}, ("`data_contract.positive_class` in conf/base/parameters_data_"
                              "contract.yml is '2', which is not a class of the target")),
    ({"ignored": {}}, ("column '1st note' holds free text, which the model cannot read: list "
                      "it under `data_contract.ignored`")),
    ({"ignored": {"grape": "x", "1st note": "free text"}}, ("`data_contract.ignored` in conf/base/"
                                                             "parameters_data_contract.yml names "
                                                             "'grape'")),
    ({"example": {"grape": 1}}, ("`data_contract.example` in conf/base/parameters_data_contract"
                                ".yml names 'grape'")),
    ({"schema": {"columns": {"class": {"dtype": "category"}}}},
     ("column 'class' in conf/base/parameters_data_contract.yml is a category without its "
     "categories")),
    ({"schema": {"columns": "none"}}, ("`data_contract.schema` in conf/base/parameters_data_"
                                      "contract.yml must be a pandera YAML schema")),
    ({"colour": 1}, "unknown key `data_contract.colour`"),
])
def test_a_contract_the_stages_cannot_use_is_one_line_naming_the_fix(changes, message):
    with pytest.raises(ContractError) as raised:
        contract(**changes)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_a_missing_file_says_how_to_write_one(tmp_path):
    with pytest.raises(ContractError, match="does not exist: write it with `kedro layout "
                                            "use-data FILE --target COLUMN`"):
        DataContract.load(tmp_path)


def test_validation_types_the_columns_and_lists_every_problem():
    read = contract()
    rows = pd.DataFrame({"od280/od315 of wines": [1.5, None], "colour": [" RED", None],
                         "vintage": [2001, 2002], "1st note": ["oak", None],
                         "class": ["1", "0"]})
    valid = read.validate(rows)
    assert valid["colour"].tolist()[0] == "red" and str(valid["vintage"].dtype) == "Int64"
    assert valid["od280/od315 of wines"].dtype == "float64"
    new = read.validate(rows.drop(columns="class"), new_rows=True)
    assert "class" not in new
    broken = rows.assign(**{"od280/od315 of wines": [11.0, 12.0], "colour": ["pink", None],
                            "vintage": [2001, None]})
    with pytest.raises(DataValidationError) as raised:
        read.validate(broken)
    assert sorted(str(raised.value).splitlines()) == sorted([
        "column 'colour' must be one of red, white (or empty): found 'pink' in row 0",
        "column 'od280/od315 of wines' must be at most 10: found 11.0, 12.0 in rows 0, 1",
        "column 'vintage' must not be empty: found a missing value in row 1",
    ])
