"""The raw data's schema, written once: a table of columns, and the pandera schema of it.

Stage 01 validates the raw file against `RAW_SCHEMA`, batch scoring validates new rows
against `NEW_ROWS_SCHEMA`, and the HTTP app derives its request model from `COLUMNS`.
Change a column here and all three follow.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from kedro_ml_starter.runtime.validation import at_least_one_row, normalised_categories

TARGET = "species"
SPECIES = ("Adelie", "Chinstrap", "Gentoo")
ISLANDS = ("Biscoe", "Dream", "Torgersen")


@dataclass(frozen=True)
class Column:
    """One raw column: its kind (`number`, `integer` or `category`) and what it may hold.

    `maximum` is the largest plausible value of a number; larger values are refused.
    """

    name: str
    kind: str
    description: str
    categories: tuple[str, ...] = ()
    feature: bool = True
    maximum: float | None = None

    @property
    def dtype(self) -> str | pd.CategoricalDtype:
        """The pandas dtype a validated column has: small, and the same in every stage."""
        if self.kind == "category":
            return pd.CategoricalDtype(list(self.categories))
        return "float32" if self.kind == "number" else "Int16"

    def to_pandera(self) -> pa.Column:
        """Any value may be missing; categories ignore case and surrounding spaces
        (` MALE` is `male`); measurements are positive."""
        checks = [pa.Check.gt(0)] if self.kind == "number" else []
        if self.maximum is not None:
            checks.append(pa.Check.le(self.maximum))
        parsers = normalised_categories(self.categories) if self.categories else None
        return pa.Column(
            self.dtype,
            checks,
            parsers=parsers,
            nullable=True,
            description=self.description,
        )


COLUMNS: tuple[Column, ...] = (
    Column(TARGET, "category", "penguin species (the target)", SPECIES, feature=False),
    Column("island", "category", "island in the Palmer Archipelago", ISLANDS),
    Column("bill_length_mm", "number", "bill length in millimetres", maximum=200),
    Column("bill_depth_mm", "number", "bill depth in millimetres", maximum=100),
    Column("flipper_length_mm", "number", "flipper length in millimetres", maximum=500),
    Column("body_mass_g", "number", "body mass in grams", maximum=20_000),
    Column("sex", "category", "sex of the penguin", ("female", "male")),
    Column("year", "integer", "year of the observation", feature=False),
)
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
INPUT_COLUMNS = tuple(c.name for c in COLUMNS if c.name != TARGET)
FEATURE_COLUMNS = tuple(c.name for c in COLUMNS if c.feature)
NUMERIC_FEATURES = tuple(c.name for c in COLUMNS if c.feature and c.kind == "number")
CATEGORICAL_FEATURES = tuple(c.name for c in COLUMNS if c.feature and c.categories)

# Exactly these columns (any order) and at least one row; values converted to `dtype`.
RAW_SCHEMA = pa.DataFrameSchema(
    {column.name: column.to_pandera() for column in COLUMNS},
    checks=at_least_one_row(),
    coerce=True,
    strict=True,
    name="raw penguins",
)
# Rows to score: the same columns, the species may be absent.
NEW_ROWS_SCHEMA = RAW_SCHEMA.update_column(TARGET, required=False)
