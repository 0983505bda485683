"""Raw-data validation with pandera: building blocks, and one line per problem for a person.

A project's data contract (`contract.DataContract`) builds one pandera `DataFrameSchema`.
The pandas engine validates with pandera itself (`validate`); the Spark engine with
`spark_validation.validate_spark`, which reads the same schema. This module adds what
pandera does not have:

- `normalised_categories`: a parser that reads ` MALE` as `male` before the dtype check,
- `at_least_one_row`: a schema check that refuses an empty file,
- `validate`: pandera's lazy validation, raising `DataValidationError` (a `UserError`),
- `problems` / `describe`: pandera's report (a table of failure cases) as one line per
  problem, `column 'sex' must be one of female, male (or empty): found 'x' in row 3`.

pandera is imported by the building blocks only: `describe` is called by a hook that
Kedro imports on every command, so this module imports nothing heavy at its top.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any

from kedro_ml_starter.errors import UserError

# Names the Spark validator recognises on a schema (see spark_validation.py).
NORMALISED_CATEGORIES = "normalised_categories"
AT_LEAST_ONE_ROW = "at_least_one_row"
NO_ROWS = "the data has no rows; expected at least one row"
SHOWN_ROWS = 5
SHOWN_VALUES = 3

_CHECK_RULES = {
    "greater_than": "must be greater than {min_value}",
    "greater_than_or_equal_to": "must be at least {min_value}",
    "less_than": "must be less than {max_value}",
    "less_than_or_equal_to": "must be at most {max_value}",
    "in_range": "must be between {min_value} and {max_value}",
    "equal_to": "must equal {value}",
    "not_equal_to": "must not equal {value}",
    "isin": "must be one of {allowed_values}",
    "notin": "must not be one of {forbidden_values}",
}


class DataValidationError(UserError, ValueError):
    """Raised when rows do not match their schema; the message is one line per problem.

    `cause` keeps pandera's own error (pandas engine), so `describe` can name the rows again
    with their CSV lines once the file is known; the Spark validator raises it with its
    message only.
    """

    def __init__(self, message: str, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.cause = cause


def validate(schema: Any, rows: Any) -> Any:
    """`rows` validated by a pandera `schema`, every problem found in one pass; raises
    DataValidationError with a line per problem (never pandera's JSON report)."""
    # pandera loads when data is validated: hooks.py imports this module on every `kedro` call
    from pandera.errors import SchemaError, SchemaErrors

    try:
        return schema.validate(rows, lazy=True)
    except (SchemaError, SchemaErrors) as error:
        raise DataValidationError(describe(error), error) from None


def normalised_categories(categories: Sequence[str]) -> Any:
    """A pandera `Parser` mapping each value to the category it names, ignoring case and
    surrounding spaces; blank text becomes a missing value, and any other value is kept
    as it is, for the dtype check to report."""
    # pandera loads when data is validated: hooks.py imports this module on every `kedro` call
    import numpy as np
    import pandas as pd
    import pandera.pandas as pa

    lookup = {category.lower(): category for category in categories}

    def normalise(values: pd.Series) -> pd.Series:
        # One lookup per distinct value, and a categorical out: cheap at millions of rows.
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        named = [_category(value, lookup) for value in uniques]
        remap, distinct = pd.factorize(pd.Index(named, dtype=object))
        if len(remap):  # -1: a missing value stays missing
            codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        return pd.Series(
            pd.Categorical.from_codes(codes, categories=distinct),
            index=values.index,
            name=values.name,
        )

    return pa.Parser(normalise, name=NORMALISED_CATEGORIES)


def _category(value: Any, lookup: dict[str, str]) -> Any:
    """The category `value` names; blank text is a missing value; anything else as is."""
    text = str(value).strip()
    if not text:
        return None
    return lookup.get(text.lower(), value)


def at_least_one_row() -> Any:
    """A pandera dataframe `Check` that refuses a frame without rows."""
    # pandera loads when data is validated: hooks.py imports this module on every `kedro` call
    import pandera.pandas as pa

    return pa.Check(lambda frame: len(frame) > 0, name=AT_LEAST_ONE_ROW, error=NO_ROWS)


def is_validation_error(error: BaseException) -> bool:
    """True for pandera's schema errors and for `DataValidationError`."""
    if isinstance(error, DataValidationError):
        return True
    pandera_errors = sys.modules.get("pandera.errors")  # not imported: not a pandera error
    return pandera_errors is not None and isinstance(
        error, (pandera_errors.SchemaError, pandera_errors.SchemaErrors)
    )


def describe(error: BaseException, *, csv_header: bool = False) -> str:
    """A validation error as the lines a person needs, one per problem (see `problems`)."""
    return "\n".join(problems(error, csv_header=csv_header))


def problems(error: BaseException, *, csv_header: bool = False) -> list[str]:
    """One line per problem of a validation error, naming column, rule, a value and rows.

    Rows are the frame's index labels (positions, for a frame read from a file); with
    `csv_header`, the matching line of a CSV file with a header row is added. A column whose
    values could not be converted is reported once: pandera's follow-on reports for it
    (wrong dtype, checks that could not run on unconverted values) are left out.
    """
    error = getattr(error, "cause", None) or error
    if isinstance(error, DataValidationError):  # the Spark validator's: a line per problem
        return str(error).strip().splitlines()
    if not is_validation_error(error):
        return [str(error).strip().split("\n")[0]]
    errors = getattr(error, "schema_errors", None) or [error]
    unconverted = {getattr(e.schema, "name", None) for e in errors
                   if _reason(e) == "DATATYPE_COERCION"}
    lines: list[str] = []
    for each in errors:
        reason, column = _reason(each), getattr(each.schema, "name", None)
        if column in unconverted and reason in _AFTER_COERCION:
            continue
        line = _problem(error, each, csv_header)
        if line not in lines:
            lines.append(line)
    # Columns missing or unknown first: with the wrong columns the rest may follow from it.
    return sorted(lines, key=lambda line: not _about_the_columns(line))


def _about_the_columns(line: str) -> bool:
    return line.startswith(("unknown column ", NO_ROWS)) or " is missing; expected " in line


# Reports pandera adds about a column it could not convert: the conversion says it all.
_AFTER_COERCION = frozenset({"WRONG_DATATYPE", "CHECK_ERROR", "DATAFRAME_CHECK"})


def _reason(error: Any) -> str:
    return getattr(getattr(error, "reason_code", None), "name", "")


def _problem(error: BaseException, first: Any, csv_header: bool) -> str:
    reason = _reason(first)
    schema = first.schema
    if reason == "COLUMN_NOT_IN_DATAFRAME":
        return missing_column(str(first.failure_cases), schema.columns)
    if reason == "COLUMN_NOT_IN_SCHEMA":
        return unknown_column(str(first.failure_cases), schema.columns)
    check = first.check
    name = getattr(schema, "name", None)
    if name is None or hasattr(schema, "columns"):  # a check on the whole frame
        return getattr(check, "error", None) or str(first).splitlines()[0]
    if reason == "DATATYPE_COERCION":
        rule = dtype_rule(schema.dtype, schema.nullable)
        cases = first.failure_cases
        if not hasattr(cases, "columns"):  # pandera could not tell which values: find them
            cases = _uncoercible(_column(error, first, name), schema.dtype)
    elif reason == "SERIES_CONTAINS_NULLS":
        return f"column {name!r} must not be empty{_found(first.failure_cases, csv_header, True)}"
    else:
        rule = check_rule(check)
        cases = first.failure_cases
    return f"column {name!r} {rule}{_found(cases, csv_header)}"


def missing_column(name: str, expected: Iterable[str]) -> str:
    return f"column {name!r} is missing; expected columns: {', '.join(expected)}"


def unknown_column(name: str, expected: Iterable[str]) -> str:
    return f"unknown column {name!r}; expected columns: {', '.join(expected)}"


def dtype_rule(dtype: Any, nullable: bool = True) -> str:
    """What a value must look like to convert to a pandera dtype, in words."""
    # pandas loads when data is validated: hooks.py imports this module on every `kedro` call
    import pandas as pd

    empty = " (or empty)" if nullable else ""
    native = getattr(dtype, "type", dtype)
    if isinstance(native, pd.CategoricalDtype):
        return f"must be one of {', '.join(map(str, native.categories))}{empty}"
    if pd.api.types.is_integer_dtype(native):
        return "must hold whole numbers"
    if pd.api.types.is_numeric_dtype(native) and not pd.api.types.is_bool_dtype(native):
        return "must hold numbers"
    return f"must hold {dtype} values"


def check_rule(check: Any) -> str:
    """A pandera check in words: `must be greater than 0`, else its own error text."""
    template = _CHECK_RULES.get(getattr(check, "name", ""))
    statistics = {
        key: ", ".join(map(_plain_text, value)) if isinstance(value, (list, tuple, set))
        else _plain_text(value)
        for key, value in (getattr(check, "statistics", None) or {}).items()
    }
    try:
        return template.format(**statistics) if template else _fallback(check)
    except KeyError:
        return _fallback(check)


def rows_text(positions: Sequence[Any], total: int, csv_header: bool = False) -> str:
    """`row 3`, `rows 3, 10 and 2 more (CSV lines 5, 12)`: the first few, then a count."""
    shown = list(positions[:SHOWN_ROWS])
    plural = "s" if total > 1 else ""
    more = f" and {total - len(shown)} more" if total > len(shown) else ""
    text = f"row{plural} {', '.join(map(str, shown))}{more}"
    if csv_header and all(isinstance(p, int) for p in shown):
        text += f" (CSV line{plural} {', '.join(str(p + 2) for p in shown)})"
    return text


def _found(cases: Any, csv_header: bool, missing: bool = False) -> str:
    """`: found 'x', 'y' in rows 3, 10`: a few distinct failing values, then their rows.

    Missing values are a problem only for a column that may not hold them (`missing`);
    elsewhere pandera may list them next to the real failures, and they are left out.
    """
    # pandas loads when data is validated: hooks.py imports this module on every `kedro` call
    import pandas as pd

    if cases is None or not hasattr(cases, "columns") or cases.empty:
        return ""
    cases = cases.dropna(subset=["index"]) if "index" in cases.columns else cases
    if not missing:
        cases = cases[cases["failure_case"].notna()]
    if cases.empty:
        return ""
    if missing:
        values = "a missing value"
    else:
        distinct = [_plain(v) for v in pd.unique(cases["failure_case"])]
        shown = ", ".join(repr(v) for v in distinct[:SHOWN_VALUES])
        more = len(distinct) - SHOWN_VALUES
        values = f"{shown} and {more} more value{'s' if more > 1 else ''}" if more > 0 else shown
    positions = [_plain(p) for p in cases["index"].head(SHOWN_ROWS)]
    return f": found {values} in {rows_text(positions, len(cases), csv_header)}"


def _uncoercible(data: Any, dtype: Any) -> Any:
    """Failure cases pandera could not name: values an integer column cannot hold (2007.5)."""
    # pandas loads when data is validated: hooks.py imports this module on every `kedro` call
    import pandas as pd

    native = getattr(dtype, "type", dtype)
    if data is None or not pd.api.types.is_integer_dtype(native):
        return None
    numbers = pd.to_numeric(data, errors="coerce")
    bad = data.notna() & (numbers.isna() | (numbers != numbers.round()))
    return pd.DataFrame({"index": data.index[bad], "failure_case": data[bad].to_numpy()})


def _column(error: BaseException, first: Any, name: str) -> Any:
    """The values of column `name` that failed, from whichever error holds the data."""
    for data in (getattr(first, "data", None), getattr(error, "data", None)):
        if data is not None and hasattr(data, "columns") and name in data.columns:
            return data[name]
        if data is not None and getattr(data, "name", None) == name:
            return data
    return None


def _fallback(check: Any) -> str:
    return f"fails {getattr(check, 'error', None) or getattr(check, 'name', check)}"


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones, so `repr` reads `-3.0`, not `np.float64(-3.0)`."""
    return value.item() if hasattr(value, "item") else value


def _plain_text(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
