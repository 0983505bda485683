"""Validation, cleaning and the train/eval/test split: pure functions of frames and parameters."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split

from {{ cookiecutter.python_package }}.utils.schema import NUMERIC_FEATURES, TARGET
from {{ cookiecutter.python_package }}.utils.validation import validate_frame


def validate_raw_data(raw: pd.DataFrame) -> pd.DataFrame:
    """The raw rows with schema dtypes; a RawDataError names the bad column and rows."""
    return validate_frame(raw, require_target=True)


def clean_data(penguins: pd.DataFrame, parameters: dict[str, Any]) -> pd.DataFrame:
    """Drops rows that cannot teach the model anything: no species, or no measurement."""
    keep = penguins[TARGET].notna()
    if parameters["drop_rows_without_measurements"]:
        keep &= penguins[list(NUMERIC_FEATURES)].notna().any(axis=1)
    if keep.all():
        return penguins
    return penguins.loc[keep]


def split_data(
    penguins: pd.DataFrame, parameters: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A seeded split stratified by species, so each part has the same class balance.

    `test_size` and `eval_size` are fractions of all rows; train gets the rest. Row
    labels are kept so each split row can be traced back to its raw row.
    """
    test_size, eval_size = parameters["test_size"], parameters["eval_size"]
    if not (0 < test_size < 1 and 0 < eval_size < 1 and test_size + eval_size < 1):
        raise ValueError(
            f"test_size ({test_size}) and eval_size ({eval_size}) must be between 0 and 1 "
            "and leave rows for training; fix conf/base/parameters_data_preprocessing.yml"
        )
    seed = parameters["random_state"]
    # Integer category codes: stratifying on them is fast even at millions of rows.
    rest, test = train_test_split(
        penguins, test_size=test_size, stratify=penguins[TARGET].cat.codes, random_state=seed
    )
    train, evaluation = train_test_split(
        rest, test_size=eval_size / (1 - test_size), stratify=rest[TARGET].cat.codes,
        random_state=seed,
    )
    return train, evaluation, test
