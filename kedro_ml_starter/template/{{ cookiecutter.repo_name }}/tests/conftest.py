"""Fixtures for the stage tests: the shipped raw data, its splits, a fitted model."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import PROJECT_ROOT, read_raw_csv, stage_module


@pytest.fixture
def raw() -> pd.DataFrame:
    """The shipped raw data, as stage 01 receives it (344 rows)."""
    return read_raw_csv(PROJECT_ROOT / "data" / "01_raw" / "penguins.csv")


@pytest.fixture
def split_parameters() -> dict:
    return {"drop_rows_without_measurements": True, "test_size": 0.2, "eval_size": 0.2,
            "random_state": 42}


@pytest.fixture
def splits(raw: pd.DataFrame, split_parameters: dict) -> tuple[pd.DataFrame, ...]:
    """Train, eval and test as stage 01 writes them."""
    nodes = stage_module("preprocessing")
    clean = nodes.clean_data(nodes.validate_raw_data(raw), split_parameters)
    return nodes.split_data(clean, split_parameters)


@pytest.fixture
def fitted(splits: tuple[pd.DataFrame, ...]) -> dict:
    """Transformers, features and model fitted the way stages 02 and 03 do."""
    features = stage_module("features")
    transformers = features.fit_transformers(splits[0], {"numeric_imputation": "median"})
    train, evaluation, test = (features.transform_split(s, transformers) for s in splits)
    model, metadata = stage_module("training").train_model(
        train, {"logistic_regression": {"C": 1.0, "max_iter": 1000}}
    )
    return {"transformers": transformers, "model": model, "metadata": metadata,
            "train": train, "eval": evaluation, "test": test}
