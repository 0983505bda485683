"""Stage 01: validation errors name the column, a value and the rows; the split is
seeded, complete and keeps the class balance. `engine` (conftest.py) builds the frames."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
from kedro_ml_starter.runtime.validation import describe

from {{ cookiecutter.python_package }}.utils.schema import (
    NUMERIC_FEATURES,
    SPECIES,
)

from tests.helpers import stage_module

nodes = stage_module("preprocessing")


def _refused(engine, table: pd.DataFrame) -> str:
    """The one line a person sees for this raw table (see ReadableErrorsHook)."""
    with pytest.raises(engine.invalid_data) as error:
        nodes.validate_raw_data(engine.frame(table))
    return describe(error.value)


def _rows(table: pd.DataFrame) -> Counter:
    """The rows as a multiset of tuples, missing values as None."""
    values = table.astype(object).where(table.notna(), None)
    return Counter(values.itertuples(index=False, name=None))


def test_valid_raw_data_keeps_every_row_and_types_the_columns(engine, raw):
    validated = engine.table(nodes.validate_raw_data(raw))
    assert len(validated) == 344
    assert pd.api.types.is_float_dtype(validated["bill_length_mm"])
    assert pd.api.types.is_integer_dtype(validated["year"])
    assert set(validated["species"]) == set(SPECIES)


def test_missing_and_unknown_columns_are_named(engine, raw_table):
    missing = _refused(engine, raw_table.drop(columns="flipper_length_mm"))
    assert missing.startswith(
        "column 'flipper_length_mm' is missing; expected columns: "
    )
    unknown = _refused(engine, raw_table.assign(colour="black"))
    assert unknown.startswith("unknown column 'colour'; expected columns: species, ")


def test_text_in_a_numeric_column_names_column_value_and_rows(engine, raw_table):
    broken = raw_table.astype({"body_mass_g": object})
    broken.loc[[5, 7], "body_mass_g"] = "heavy"
    assert _refused(engine, broken) == (
        f"column 'body_mass_g' must hold numbers: found 'heavy' in {engine.rows([5, 7])}"
    )


def test_an_unknown_category_is_named(engine, raw_table):
    raw_table.loc[[3, 10], "island"] = "Atlantis"
    assert _refused(engine, raw_table) == (
        "column 'island' must be one of Biscoe, Dream, Torgersen (or empty): "
        f"found 'Atlantis' in {engine.rows([3, 10])}"
    )


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("body_mass_g", -3.0, "must be greater than 0"),
        ("bill_depth_mm", 150.0, "must be at most 100"),
        ("year", 2007.5, "must hold whole numbers"),
    ],
)
def test_a_value_out_of_its_range_is_named(engine, raw_table, column, value, rule):
    broken = raw_table.astype({column: float})
    broken.loc[4, column] = value
    line = _refused(engine, broken)
    assert line.startswith(f"column '{column}' {rule}: found ")
    assert line.endswith(f" in {engine.rows([4])}")


def test_category_case_and_spaces_are_normalised(engine, raw_table):
    raw_table.loc[0, "sex"] = " MALE "
    raw_table.loc[1, "species"] = "adelie"
    raw_table.loc[2, "island"] = "  "
    validated = engine.table(nodes.validate_raw_data(engine.frame(raw_table)))
    assert validated.loc[0, "sex"] == "male"
    assert validated.loc[1, "species"] == "Adelie"
    assert pd.isna(validated.loc[2, "island"])  # blank: a missing value


def test_no_rows_is_refused(engine, raw_table):
    assert _refused(engine, raw_table.iloc[0:0]) == (
        "the data has no rows; expected at least one row"
    )


def test_clean_drops_rows_without_species_or_measurements(
    engine, raw_table, split_parameters
):
    raw_table.loc[0, "species"] = None
    validated = nodes.validate_raw_data(engine.frame(raw_table))
    clean = engine.table(nodes.clean_data(validated, split_parameters))
    measured = raw_table[list(NUMERIC_FEATURES)].notna().any(axis=1)
    assert clean["species"].notna().all()
    assert len(clean) == int((raw_table["species"].notna() & measured).sum()) == 341


def test_split_is_complete_disjoint_and_sized(engine, clean, splits):
    parts = [_rows(engine.table(part)) for part in splits]
    assert parts[0] + parts[1] + parts[2] == _rows(engine.table(clean))
    assert not (set(parts[0]) & set(parts[1]) or set(parts[0]) & set(parts[2]))
    total = sum(sum(part.values()) for part in parts)
    assert total == 342  # 344 rows, 2 without any measurement
    for part in parts[1:]:
        assert abs(sum(part.values()) / total - 0.2) < engine.split_tolerance


def test_split_keeps_the_class_balance(engine, splits):
    shares = [
        engine.table(part)["species"].value_counts(normalize=True).sort_index()
        for part in splits
    ]
    for other in shares[1:]:
        assert (other - shares[0]).abs().max() < engine.balance_tolerance


def test_split_is_reproducible_and_seeded(engine, clean, splits, split_parameters):
    again = nodes.split_data(clean, split_parameters)
    other = nodes.split_data(clean, {**split_parameters, "random_state": 7})
    test = _rows(engine.table(splits[2]))
    assert _rows(engine.table(again[2])) == test
    assert _rows(engine.table(other[2])) != test


@pytest.mark.parametrize(
    ("test_size", "eval_size"), [(0.5, 0.5), (0.0, 0.2), (0.2, 1.2)]
)
def test_split_refuses_sizes_that_leave_no_training_rows(
    clean, split_parameters, test_size, eval_size
):
    sizes = {"test_size": test_size, "eval_size": eval_size}
    with pytest.raises(ValueError, match="parameters_data_preprocessing.yml"):
        nodes.split_data(clean, {**split_parameters, **sizes})
