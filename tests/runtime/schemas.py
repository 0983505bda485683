"""A small raw-data schema built the way a data contract builds its own (runtime/contract.py),
for the runtime's unit tests: one category, two measurements, one whole number."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from kedro_ml_starter.runtime.validation import at_least_one_row, normalised_categories

COLOURS = ("black", "white")


def raw_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "colour": pa.Column(
                pd.CategoricalDtype(list(COLOURS)),
                parsers=normalised_categories(COLOURS),
                nullable=True,
            ),
            "mass": pa.Column("float32", [pa.Check.gt(0), pa.Check.le(100)], nullable=True),
            "length": pa.Column("float32", pa.Check.in_range(1, 10), nullable=True),
            "year": pa.Column("Int16", nullable=True),
        },
        checks=at_least_one_row(),
        coerce=True,
        strict=True,
    )


def raw_table() -> pd.DataFrame:
    """Five valid rows, as a CSV with `NA` for missing values reads."""
    return pd.DataFrame(
        {
            "colour": ["black", "White ", None, "white", "black"],
            "mass": [1.5, 20.0, None, 99.0, 3.0],
            "length": [2.0, 3.0, 4.0, None, 10.0],
            "year": [2007, 2008, 2009, 2009, None],
        }
    )
