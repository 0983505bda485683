"""The raw data's schema, written once.

Stage 01 validates the raw file against it, the batch scorer validates new rows against
it, and the HTTP app derives its request model from it. Change a column here and all
three follow.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

TARGET = "species"
SPECIES = ("Adelie", "Chinstrap", "Gentoo")


@dataclass(frozen=True)
class Column:
    """One raw column: its kind (`number`, `integer` or `category`) and what it may hold.

    `maximum` is the largest plausible value of a number; the HTTP app refuses larger ones.
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


COLUMNS: tuple[Column, ...] = (
    Column(TARGET, "category", "penguin species (the target)", SPECIES, feature=False),
    Column("island", "category", "island in the Palmer Archipelago",
           ("Biscoe", "Dream", "Torgersen")),
    Column("bill_length_mm", "number", "bill (culmen) length in millimetres", maximum=200),
    Column("bill_depth_mm", "number", "bill (culmen) depth in millimetres", maximum=100),
    Column("flipper_length_mm", "number", "flipper length in millimetres", maximum=500),
    Column("body_mass_g", "number", "body mass in grams", maximum=20_000),
    Column("sex", "category", "sex of the penguin", ("female", "male")),
    Column("year", "integer", "year of the observation", feature=False),
)
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
INPUT_COLUMNS = tuple(c.name for c in COLUMNS if c.name != TARGET)
FEATURE_COLUMNS = tuple(c.name for c in COLUMNS if c.feature)
NUMERIC_FEATURES = tuple(c.name for c in COLUMNS if c.feature and c.kind == "number")
CATEGORICAL_FEATURES = tuple(c.name for c in COLUMNS if c.feature and c.kind == "category")
