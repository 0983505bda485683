"""Validation, cleaning and the train/eval/test split: pure functions of frames."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split

from {{ cookiecutter.python_package }}.utils.schema import (
    NUMERIC_FEATURES,
    TARGET,
)
from {{ cookiecutter.python_package }}.utils.splits import (
    split_sizes,
)
from {{ cookiecutter.python_package }}.utils.validation import (
    RAW_SCHEMA,
)


def validate_raw_data(raw: pd.DataFrame) -> pd.DataFrame:
    """The raw rows typed by the schema; pandera's error names the column and rows."""
    return RAW_SCHEMA.validate(raw)


def clean_data(penguins: pd.DataFrame, parameters: dict[str, Any]) -> pd.DataFrame:
    """Drops rows that cannot teach the model anything: no species, or no measurement."""
    keep = penguins[TARGET].notna()
    if parameters["drop_rows_without_measurements"]:
        keep &= penguins[list(NUMERIC_FEATURES)].notna().any(axis=1)
    return penguins if keep.all() else penguins.loc[keep]


def split_data(
    penguins: pd.DataFrame, parameters: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A seeded split stratified by species, so each part has the same class balance.

    Row labels are kept so each split row can be traced back to its raw row.
    """
    test_size, eval_size = split_sizes(parameters)
    seed = parameters["random_state"]
    # Integer category codes: stratifying on them is fast even at millions of rows.
    rest, test = train_test_split(
        penguins,
        test_size=test_size,
        stratify=penguins[TARGET].cat.codes,
        random_state=seed,
    )
    train, evaluation = train_test_split(
        rest,
        test_size=eval_size / (1 - test_size),
        stratify=rest[TARGET].cat.codes,
        random_state=seed,
    )
    return train, evaluation, test
