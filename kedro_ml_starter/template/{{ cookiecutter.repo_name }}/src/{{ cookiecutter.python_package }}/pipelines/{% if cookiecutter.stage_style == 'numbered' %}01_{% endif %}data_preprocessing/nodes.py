"""Validation, cleaning and the train/eval/test split: pure functions of frames.

What the columns hold, which one is the target and the task come from the data contract
(`params:data_contract`, conf/base/parameters_data_contract.yml).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro_ml_starter.runtime import DataContract

from {{ cookiecutter.python_package }}.utils.splits import (
    split_off,
    split_sizes,
)


def validate_raw_data(raw: pd.DataFrame, data_contract: dict[str, Any]) -> pd.DataFrame:
    """The raw rows typed by the contract's schema; a line per problem otherwise, naming
    the column, the rule, a few values and their rows."""
    return DataContract.from_parameters(data_contract).validate(raw)


def clean_data(
    rows: pd.DataFrame, data_contract: dict[str, Any], parameters: dict[str, Any]
) -> pd.DataFrame:
    """Drops rows that cannot teach the model anything: no target, or no feature value."""
    contract = DataContract.from_parameters(data_contract)
    keep = rows[contract.target].notna()
    if parameters["drop_rows_without_features"]:
        keep &= rows[list(contract.feature_names)].notna().any(axis=1)
    return rows if keep.all() else rows.loc[keep]


def split_data(
    rows: pd.DataFrame, data_contract: dict[str, Any], parameters: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A seeded split; for classification stratified by class, so each part has the same
    class balance.

    Row labels are kept so each split row can be traced back to its raw row.
    """
    contract = DataContract.from_parameters(data_contract)
    test_size, eval_size = split_sizes(parameters)
    seed = parameters["random_state"]
    rest, test = split_off(rows, test_size, contract, seed)
    train, evaluation = split_off(rest, eval_size / (1 - test_size), contract, seed)
    return train, evaluation, test
