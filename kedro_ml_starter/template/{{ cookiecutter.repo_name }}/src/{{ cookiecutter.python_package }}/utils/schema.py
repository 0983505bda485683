"""The raw data's columns, written once: what each column holds and may hold.

Stage 01 and batch scoring validate against the pandera schemas built from this table
(`validation.py`), the HTTP app derives its request from it (`05_api/app.py`), and the
stages name columns through it. Change a column here and all of them follow.
"""

from __future__ import annotations

from dataclasses import dataclass

from kedro_ml_starter.runtime.serving.scorers import PROBABILITY_PREFIX

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

# What scoring adds to a row: the predicted species, then one probability per species in
# `probability_<species>` columns (the serving runtime's prefix: it reads them back by it).
PREDICTION = f"predicted_{TARGET}"
PROBABILITY_COLUMNS = tuple(PROBABILITY_PREFIX + species for species in SPECIES)
