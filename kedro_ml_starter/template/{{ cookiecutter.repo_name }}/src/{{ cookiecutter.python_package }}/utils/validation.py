"""The pandera schemas of the raw columns in `schema.py`, which stage 01 and batch scoring
validate against.

Every value may be missing; each column is converted to a small dtype, the same in every
stage; categories ignore case and surrounding spaces (` MALE` is `male`); measurements are
positive and at most the column's `maximum`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from kedro_ml_starter.runtime.validation import at_least_one_row, normalised_categories

from .schema import COLUMNS, TARGET, Column


def dtype(column: Column) -> str | pd.CategoricalDtype:
    """The pandas dtype of a validated column."""
    if column.kind == "category":
        return pd.CategoricalDtype(list(column.categories))
    return "float32" if column.kind == "number" else "Int16"


def to_pandera(column: Column) -> pa.Column:
    checks = [pa.Check.gt(0)] if column.kind == "number" else []
    if column.maximum is not None:
        checks.append(pa.Check.le(column.maximum))
    parsers = normalised_categories(column.categories) if column.categories else None
    return pa.Column(
        dtype(column),
        checks,
        parsers=parsers,
        nullable=True,
        description=column.description,
    )


# Exactly these columns (any order) and at least one row; values converted to `dtype`.
RAW_SCHEMA = pa.DataFrameSchema(
    {column.name: to_pandera(column) for column in COLUMNS},
    checks=at_least_one_row(),
    coerce=True,
    strict=True,
    name="raw penguins",
)
# Rows to score: the same columns, the species may be absent.
NEW_ROWS_SCHEMA = RAW_SCHEMA.update_column(TARGET, required=False)
