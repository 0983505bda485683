"""Splits, checked once for every engine: each split needs rows, train the most; and for
classification each class keeps its share in every split when it has rows enough."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
from kedro_ml_starter.runtime import DataContract
from sklearn.model_selection import train_test_split

logger = logging.getLogger(__name__)


def split_sizes(parameters: dict[str, Any]) -> tuple[float, float]:
    """`test_size` and `eval_size`: fractions of all rows; train gets the rest."""
    test_size, eval_size = parameters["test_size"], parameters["eval_size"]
    if not (0 < test_size < 1 and 0 < eval_size < 1 and test_size + eval_size < 1):
        raise ValueError(
            f"test_size ({test_size}) and eval_size ({eval_size}) must be between 0 and 1 "
            "and leave rows for training; fix conf/base/parameters_data_preprocessing.yml"
        )
    return test_size, eval_size


def split_off(
    rows: pd.DataFrame, size: float, contract: DataContract, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rest, part): `size` of the rows split off, seeded; stratified by the target's
    class when classifying, unless a class is too rare to be in both parts."""
    strata = None
    if contract.classification:
        # Integer category codes: stratifying on them is fast even at millions of rows.
        strata = rows[contract.target].cat.codes
    try:
        return train_test_split(
            rows, test_size=size, stratify=strata, random_state=seed
        )
    except ValueError:
        if strata is None:
            raise
        rarest = rows[contract.target].value_counts().loc[lambda n: n > 0].idxmin()
        logger.warning(
            "Class %r of %s has too few rows to be in every split: splitting without "
            "stratification",
            rarest,
            contract.target,
        )
        return train_test_split(rows, test_size=size, random_state=seed)
