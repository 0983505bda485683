"""Fixtures for the stage tests: the shipped raw data, its splits, a fitted model, and
`engine`, which tells the tests (shared by every engine) how frames are built and read.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from kedro_ml_starter.runtime.validation import rows_text
from pandera.errors import SchemaError, SchemaErrors
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import make_pipeline

from tests.helpers import (
    RAW_CSV,
    SPLIT_PARAMETERS,
    fit_stages,
    read_raw_csv,
    stage_module,
)


class Doubler(BaseEstimator, TransformerMixin):
    """A custom transformer, which skl2onnx has no converter for."""

    def fit(self, rows, target=None):
        return self

    def transform(self, rows):
        return rows * 2


class PandasEngine:
    """Frames are pandas frames; pandera raises the validation errors; the ONNX graph is
    checked against scikit-learn, which serves a model skl2onnx cannot convert."""

    invalid_data = (SchemaError, SchemaErrors)
    library, fallback_runtime = "scikit-learn", "sklearn"
    training = {"logistic_regression": {"C": 1.0, "max_iter": 1000}}
    split_tolerance = 0.01  # the share of rows in each split
    balance_tolerance = 0.03  # the share of each species: the split is stratified
    onnx_tolerance = 1e-6  # the ONNX graph's probabilities against scikit-learn's

    def frame(self, table: pd.DataFrame) -> pd.DataFrame:
        return table.copy()

    def table(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame

    def matrix(self, features: pd.DataFrame) -> np.ndarray:
        """Model inputs, one row per row: the feature columns."""
        return features.drop(columns="species").to_numpy()

    def rows(self, positions: list[int]) -> str:
        """How a validation error names these rows: `rows 3, 10`."""
        return rows_text(positions, len(positions))

    def union(self, frames: tuple[pd.DataFrame, ...]) -> pd.DataFrame:
        return pd.concat(frames)

    def unconvertible(self, fitted: dict[str, Any]) -> tuple[Any, Any, str]:
        """Transformers and a model skl2onnx cannot convert, and the class it names."""
        model = make_pipeline(Doubler(), fitted["model"])
        return fitted["transformers"], model, f"{Doubler.__module__}.Doubler"


@pytest.fixture(scope="session")
def engine() -> PandasEngine:
    return PandasEngine()


@pytest.fixture
def raw_table() -> pd.DataFrame:
    """The shipped raw data as a pandas frame (344 rows), for a test to edit."""
    return read_raw_csv(RAW_CSV)


@pytest.fixture
def raw(raw_table: pd.DataFrame) -> pd.DataFrame:
    """The shipped raw data, as stage 01 receives it."""
    return raw_table


@pytest.fixture
def split_parameters() -> dict:
    return dict(SPLIT_PARAMETERS)


@pytest.fixture
def clean(raw: pd.DataFrame) -> pd.DataFrame:
    nodes = stage_module("preprocessing")
    return nodes.clean_data(nodes.validate_raw_data(raw), SPLIT_PARAMETERS)


@pytest.fixture
def splits(clean: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
    """Train, eval and test as stage 01 writes them."""
    return stage_module("preprocessing").split_data(clean, SPLIT_PARAMETERS)


@pytest.fixture
def fitted(splits: tuple[pd.DataFrame, ...], engine: PandasEngine) -> dict[str, Any]:
    """Transformers, features and model fitted the way stages 02 and 03 do."""
    return fit_stages(splits, engine.training)
