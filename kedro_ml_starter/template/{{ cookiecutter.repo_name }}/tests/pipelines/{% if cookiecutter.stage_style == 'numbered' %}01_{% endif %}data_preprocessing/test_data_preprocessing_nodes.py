"""Stage 01: validation errors name the column, the rule, values and rows, one line per
problem; the split is seeded, complete and keeps the class balance. The columns tested
come from the data contract; `engine` (conftest.py) builds the frames."""

from __future__ import annotations

import logging
from collections import Counter

import pandas as pd
import pytest
from kedro_ml_starter.runtime import describe

from tests.helpers import contract, parameters, stage_module

nodes = stage_module("preprocessing")
CONTRACT = contract()
DATA = parameters("data_contract")
NUMBERS = [c for c in CONTRACT.columns if c.numeric]
CATEGORIES = [c for c in CONTRACT.columns if c.kind == "category"]
BOUNDED = [c for c in NUMBERS if c.bounds]
WORDS = {"gt": "greater than", "ge": "at least", "lt": "less than", "le": "at most"}


def _refused(engine, table: pd.DataFrame) -> str:
    """The lines a person sees for this raw table (see ReadableErrorsHook)."""
    with pytest.raises(engine.invalid_data) as error:
        nodes.validate_raw_data(engine.frame(table), DATA)
    return describe(error.value)


def _rows(table: pd.DataFrame) -> Counter:
    """The rows as a multiset of tuples, missing values as None."""
    values = table.astype(object).where(table.notna(), None)
    return Counter(values.itertuples(index=False, name=None))


def _text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _first(columns: list, what: str):
    if not columns:
        pytest.skip(f"the data contract has no {what} column")
    return columns[0]


def test_valid_raw_data_keeps_every_row_and_types_the_columns(engine, raw):
    validated = engine.table(nodes.validate_raw_data(raw, DATA))
    assert len(validated) == len(engine.table(raw)) > 0
    # Every column of the contract, once (the file may order them otherwise).
    assert sorted(validated.columns) == sorted(CONTRACT.names)
    for column in CONTRACT.columns:
        values = validated[column.name]
        if column.kind == "category":
            assert set(values.dropna().astype(str)) <= set(column.categories)
        elif column.kind == "integer":
            assert pd.api.types.is_integer_dtype(values), column.name
        elif column.kind == "number":
            assert pd.api.types.is_float_dtype(values), column.name


def test_missing_and_unknown_columns_are_named(engine, raw_table):
    expected = ", ".join(CONTRACT.names)
    dropped = CONTRACT.feature_names[0]
    assert _refused(engine, raw_table.drop(columns=dropped)) == (
        f"column '{dropped}' is missing; expected columns: {expected}"
    )
    unknown = _refused(engine, raw_table.assign(not_in_the_contract=1))
    assert (
        unknown == f"unknown column 'not_in_the_contract'; expected columns: {expected}"
    )


def test_text_in_a_numeric_column_names_column_value_and_rows(engine, raw_table):
    column = _first(NUMBERS, "numeric")
    broken = raw_table.astype({column.name: object})
    broken.loc[broken.index[[1, 2]], column.name] = "heavy"
    numbers = "whole numbers" if column.kind == "integer" else "numbers"
    assert _refused(engine, broken) == (
        f"column '{column.name}' must hold {numbers}: found 'heavy' in {engine.rows([1, 2])}"
    )


def test_an_unknown_category_is_named(engine, raw_table):
    column = _first(CATEGORIES, "category")
    broken = raw_table.astype({column.name: object})
    broken.loc[broken.index[[1, 2]], column.name] = "not-a-category"
    empty = " (or empty)" if column.nullable else ""
    assert _refused(engine, broken) == (
        f"column '{column.name}' must be one of {', '.join(column.categories)}{empty}: "
        f"found 'not-a-category' in {engine.rows([1, 2])}"
    )


def test_a_value_out_of_its_bounds_is_named(engine, raw_table):
    column = _first(BOUNDED, "bounded numeric")
    bound, limit = next(iter(column.bounds.items()))
    outside = (
        limit - abs(limit) - 1 if bound in ("gt", "ge") else limit + abs(limit) + 1
    )
    broken = raw_table.astype({column.name: float})
    broken.loc[broken.index[0], column.name] = outside
    line = _refused(engine, broken)
    assert line.startswith(
        f"column '{column.name}' must be {WORDS[bound]} {_text(limit)}"
    )
    assert line.endswith(f" in {engine.rows([0])}")


def test_every_problem_is_a_line_of_its_own(engine, raw_table):
    strict = [c.name for c in CONTRACT.columns if c.kind != "text"]
    if len(strict) < 2:
        pytest.skip("the data contract has no two columns that refuse any text")
    first, second = strict[:2]
    broken = raw_table.astype({first: object, second: object})
    broken.loc[broken.index[0], first] = "not-a-value-of-any-kind"
    broken.loc[broken.index[1], second] = "not-a-value-of-any-kind"
    lines = _refused(engine, broken).splitlines()
    assert sorted(line.split("'")[1] for line in lines) == sorted([first, second])
    found = {line.split(": found 'not-a-value-of-any-kind' in ")[1] for line in lines}
    assert found == {engine.rows([0]), engine.rows([1])}


def test_category_case_and_spaces_are_normalised(engine, raw_table):
    column = _first(CATEGORIES, "category")
    table = raw_table.astype({column.name: object})
    table.loc[table.index[0], column.name] = f"  {column.categories[0].upper()} "
    validated = engine.table(nodes.validate_raw_data(engine.frame(table), DATA))
    assert validated[column.name].iloc[0] == column.categories[0]


def test_no_rows_is_refused(engine, raw_table):
    assert _refused(engine, raw_table.iloc[0:0]) == (
        "the data has no rows; expected at least one row"
    )


def test_clean_drops_rows_without_a_target_or_any_feature(
    engine, raw_table, split_parameters
):
    table = raw_table.astype({CONTRACT.target: object})
    table.loc[table.index[0], CONTRACT.target] = None
    validated = nodes.validate_raw_data(engine.frame(table), DATA)
    clean = engine.table(nodes.clean_data(validated, DATA, split_parameters))
    kept = table[CONTRACT.target].notna()
    kept &= table[list(CONTRACT.feature_names)].notna().any(axis=1)
    assert clean[CONTRACT.target].notna().all()
    assert len(clean) == int(kept.sum()) < len(table)


def test_split_is_complete_disjoint_and_sized(engine, clean, splits, split_parameters):
    parts = [_rows(engine.table(part)) for part in splits]
    assert parts[0] + parts[1] + parts[2] == _rows(engine.table(clean))
    keys = [engine.keys(part) for part in splits]
    assert not (keys[0] & keys[1] or keys[0] & keys[2] or keys[1] & keys[2])
    total = sum(sum(part.values()) for part in parts)
    sizes = (split_parameters["eval_size"], split_parameters["test_size"])
    for part, size in zip(parts[1:], sizes):
        tolerance = engine.split_tolerance + 1 / total  # one row of rounding
        assert abs(sum(part.values()) / total - size) < tolerance


def test_split_keeps_the_class_balance(engine, clean, splits, split_parameters, caplog):
    if not CONTRACT.classification:
        pytest.skip("a regression split is random: there are no classes to balance")
    with caplog.at_level(logging.WARNING):
        nodes.split_data(clean, DATA, split_parameters)  # says when it cannot stratify
    if "without stratification" in caplog.text:
        pytest.skip(f"the split is not stratified: {caplog.messages[-1]}")
    targets = [engine.table(part)[CONTRACT.target] for part in splits]
    shares = [target.value_counts(normalize=True).sort_index() for target in targets]
    # Stratifying rounds each class's rows in a split: up to a row of each split apart.
    rounding = sum(1 / len(target) for target in targets)
    for other in shares[1:]:
        difference = (other - shares[0]).abs().max()
        assert difference < engine.balance_tolerance + rounding


def test_split_is_reproducible_and_seeded(engine, clean, splits, split_parameters):
    again = nodes.split_data(clean, DATA, split_parameters)
    # another seed than the project's, whichever the user chose
    seed = split_parameters["random_state"] + 1
    other = nodes.split_data(clean, DATA, {**split_parameters, "random_state": seed})
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
        nodes.split_data(clean, DATA, {**split_parameters, **sizes})
