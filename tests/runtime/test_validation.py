"""The pandera building blocks and `describe`: one line per failure, the line a user reads."""

from __future__ import annotations

import pandas as pd
import pytest
from pandera.errors import SchemaError, SchemaErrors

from kedro_ml_starter.runtime.validation import (
    DataValidationError,
    describe,
    is_validation_error,
    problems,
    rows_text,
)
from tests.runtime.schemas import raw_schema, raw_table


def _line(table: pd.DataFrame, csv_header: bool = False) -> str:
    with pytest.raises((SchemaError, SchemaErrors)) as error:
        raw_schema().validate(table)
    assert is_validation_error(error.value)
    return describe(error.value, csv_header=csv_header)


def test_valid_rows_are_typed_and_categories_normalised():
    table = raw_table()
    table.loc[0, "colour"] = "  BLACK"
    table.loc[4, "colour"] = "   "
    validated = raw_schema().validate(table)
    colours = validated["colour"]
    assert list(colours.astype(object).where(colours.notna(), None)) == [
        "black", "white", None, "white", None
    ]
    assert validated["mass"].dtype == "float32" and str(validated["year"].dtype) == "Int16"


def test_text_in_a_number_column_names_the_value_and_its_rows_and_csv_lines():
    table = raw_table().astype({"mass": object})
    table.loc[[1, 3], "mass"] = "heavy"
    assert _line(table, csv_header=True) == (
        "column 'mass' must hold numbers: found 'heavy' in rows 1, 3 (CSV lines 3, 5)"
    )


def test_an_unknown_category_names_the_categories():
    table = raw_table()
    table.loc[2, "colour"] = "green"
    assert _line(table) == (
        "column 'colour' must be one of black, white (or empty): found 'green' in row 2"
    )


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("mass", -1.0, "must be greater than 0"),
        ("mass", 101.0, "must be at most 100"),
        ("length", 11.0, "must be between 1 and 10"),
        ("year", 2007.5, "must hold whole numbers"),
    ],
)
def test_a_broken_check_is_said_in_words(column, value, rule):
    table = raw_table().astype({column: float})
    table.loc[0, column] = value
    assert _line(table) == f"column '{column}' {rule}: found {value!r} in row 0"


def test_many_rows_are_shown_five_then_counted():
    table = pd.concat([raw_table()] * 3, ignore_index=True)
    table["mass"] = -1.0
    assert _line(table).endswith("found -1.0 in rows 0, 1, 2, 3, 4 and 10 more")


def test_missing_and_unknown_columns_and_no_rows():
    assert _line(raw_table().drop(columns="length")) == (
        "column 'length' is missing; expected columns: colour, mass, length, year"
    )
    assert _line(raw_table().assign(size=1)) == (
        "unknown column 'size'; expected columns: colour, mass, length, year"
    )
    assert _line(raw_table().iloc[0:0]) == "the data has no rows; expected at least one row"


def test_other_errors_are_not_validation_errors_and_keep_their_first_line():
    assert not is_validation_error(ValueError("x"))
    assert describe(ValueError("one line\nsecond")) == "one line"
    assert is_validation_error(DataValidationError("column 'x' ..."))


def test_a_validation_error_without_a_pandera_cause_keeps_a_line_per_problem():
    # the Spark validator's errors: one line per problem, each of which the user needs
    error = DataValidationError("column 'a': 2 values below 0\ncolumn 'b': 1 missing value\n")
    assert problems(error) == ["column 'a': 2 values below 0", "column 'b': 1 missing value"]
    assert describe(error) == "column 'a': 2 values below 0\ncolumn 'b': 1 missing value"


def test_rows_text():
    assert rows_text([7], 1, csv_header=True) == "row 7 (CSV line 9)"
    assert rows_text([1, 2], 2) == "rows 1, 2"
    assert rows_text(["a", "b"], 9, csv_header=True) == "rows a, b and 7 more"
