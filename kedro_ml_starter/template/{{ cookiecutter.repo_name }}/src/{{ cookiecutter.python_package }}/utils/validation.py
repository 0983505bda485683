"""Validation of raw rows against the schema, vectorised so it costs little at 1M rows.

Every error is one line naming the column, the offending value and the row(s), counted
from 0 among the data rows, with the matching line of a CSV file that has a header.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import COLUMNS, INPUT_COLUMNS, TARGET, Column

_SHOWN_ROWS = 5


class RawDataError(ValueError):
    """Raised when rows do not match the schema; the message says what and where."""


def validate_frame(frame: pd.DataFrame, *, require_target: bool) -> pd.DataFrame:
    """The rows with schema columns in schema order and schema dtypes, or RawDataError."""
    expected = (TARGET, *INPUT_COLUMNS) if require_target else INPUT_COLUMNS
    check_columns([str(name) for name in frame.columns], expected)
    if frame.empty:
        raise RawDataError("the data has no rows; expected at least one row")
    columns = [c for c in COLUMNS if c.name in frame.columns]
    return pd.DataFrame(
        {c.name: _typed(frame[c.name], c) for c in columns}, index=frame.index
    )


def check_columns(present: list[str], expected: tuple[str, ...]) -> None:
    """RawDataError unless `present` holds each expected column once, and no other."""
    missing = [name for name in expected if name not in present]
    if missing:
        raise RawDataError(
            f"column {missing[0]!r} is missing; expected columns: {', '.join(expected)}"
        )
    allowed = {TARGET, *INPUT_COLUMNS}
    unknown = [name for name in present if name not in allowed]
    if unknown:
        raise RawDataError(
            f"unknown column {unknown[0]!r}; expected columns: {', '.join(expected)}"
        )
    duplicated = sorted({name for name in present if present.count(name) > 1})
    if duplicated:
        raise RawDataError(f"column {duplicated[0]!r} appears more than once")


def _typed(values: pd.Series, column: Column) -> pd.Series:
    if column.kind == "category":
        return _categories(values, column)
    numbers = _numbers(values, column)
    if column.kind == "integer":
        fractional = numbers.notna() & (numbers != np.floor(numbers))
        _refuse(fractional, values, column, "must hold whole numbers")
        return numbers.astype("Int16")
    not_positive = numbers.notna() & (numbers <= 0)
    _refuse(not_positive, values, column, "must hold positive numbers")
    return numbers.astype("float32")


def _numbers(values: pd.Series, column: Column) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        _refuse(values.notna(), values, column, "must hold numbers, not true/false")
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    numbers = pd.to_numeric(values, errors="coerce")
    _refuse(numbers.isna() & values.notna(), values, column, "must hold numbers")
    return numbers.astype("float64")


def _categories(values: pd.Series, column: Column) -> pd.Series:
    """Normalises case and spaces (` MALE` is `male`), refuses values outside the schema."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lookup = {category.lower(): i for i, category in enumerate(column.categories)}
    mapped = np.array(
        [lookup.get(str(u).strip().lower(), -2) for u in uniques] + [-1], dtype=np.int64
    )
    new_codes = mapped[codes]
    _refuse(
        pd.Series(new_codes == -2, index=values.index), values, column,
        f"must be one of {', '.join(column.categories)} (or empty)",
    )
    return pd.Series(
        pd.Categorical.from_codes(new_codes, dtype=column.dtype), index=values.index,
        name=column.name,
    )


def _refuse(bad: pd.Series, values: pd.Series, column: Column, rule: str) -> None:
    positions = np.flatnonzero(bad.to_numpy(dtype=bool, na_value=False))
    if positions.size == 0:
        return
    shown = positions[:_SHOWN_ROWS]
    first = values.iloc[int(shown[0])]
    rows = ", ".join(str(p) for p in shown)
    lines = ", ".join(str(p + 2) for p in shown)
    more = f" and {positions.size - shown.size} more" if positions.size > shown.size else ""
    plural = "s" if shown.size > 1 else ""
    raise RawDataError(
        f"column {column.name!r} {rule}: found {first!r} in row{plural} {rows}{more} "
        f"(CSV line{plural} {lines})"
    )
