"""Fixtures for the stage tests: the project's raw data, its splits, a fitted model, and
`engine`, which tells the tests (shared by every engine) how frames are built and read.

The raw data, its splits and the fitted model are made once per test session (tests
read them, never change them); `raw_table` is a fresh copy for a test to edit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from kedro_ml_starter.runtime import DataContract, DataValidationError, rows_text
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import make_pipeline

from tests.helpers import contract, fit_stages, load, parameters, stage_module


class Doubler(BaseEstimator, TransformerMixin):
    """A custom transformer, which skl2onnx has no converter for."""

    def fit(self, rows, target=None):
        return self

    def transform(self, rows):
        return rows * 2


class PandasEngine:
    """Frames are pandas frames; pandera raises the validation errors; the ONNX graph is
    checked against scikit-learn, which serves a model skl2onnx cannot convert."""

    invalid_data = DataValidationError
    library, fallback_runtime = "scikit-learn", "sklearn"
    split_tolerance = 0.01  # the share of rows in each split
    balance_tolerance = 0.0  # stratified: each class's share, to a row of rounding
    onnx_tolerance = 1e-6  # the ONNX graph's probabilities against scikit-learn's

    @property
    def training(self) -> dict[str, Any]:
        return parameters("model_training")

    def frame(self, table: pd.DataFrame) -> pd.DataFrame:
        return table.copy()

    def table(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame

    def matrix(self, features: pd.DataFrame) -> np.ndarray:
        """Model inputs, one row per row: the feature columns."""
        return features.drop(columns=contract().target).to_numpy()

    def rows(self, positions: list[int]) -> str:
        """How a validation error names these rows: `rows 3, 10`."""
        return rows_text(positions, len(positions))

    def keys(self, frame: pd.DataFrame) -> set:
        """What tells a row from the others: its label in the raw data."""
        return set(frame.index)

    def predictions(self, model: Any, features: pd.DataFrame) -> tuple[pd.Series, Any]:
        """Each row's target and the model's prediction."""
        target = contract().target
        return features[target], model.predict(features.drop(columns=[target]))

    def shuffled(self, features: pd.DataFrame) -> pd.DataFrame:
        """The features with their targets shuffled: what another model learns from."""
        target = contract().target
        values = features[target].sample(frac=1, random_state=3).to_numpy()
        return features.assign(**{target: values})

    def tree(self, task: str) -> dict[str, Any]:
        """A small tree for the task: another estimator, by its import path."""
        kind = "Classifier" if task == "classification" else "Regressor"
        tree = f"sklearn.tree.DecisionTree{kind}"
        return {"type": tree, "arguments": {"max_depth": 2}}

    def depth(self, model: Any) -> int:
        return model.get_depth()

    def model_name(self, estimator: str) -> str:
        """The class of the model an estimator fits: the estimator's own."""
        return estimator.rsplit(".", 1)[-1]

    def union(self, frames: tuple[pd.DataFrame, ...]) -> pd.DataFrame:
        return pd.concat(frames)

    def unconvertible(self, fitted: dict[str, Any]) -> tuple[Any, Any, str]:
        """Transformers and a model skl2onnx cannot convert, and the class it names."""
        model = make_pipeline(Doubler(), fitted["model"])
        return fitted["transformers"], model, f"{Doubler.__module__}.Doubler"


@pytest.fixture(scope="session")
def engine() -> PandasEngine:
    return PandasEngine()


@pytest.fixture(scope="session")
def data_contract() -> DataContract:
    """The project's data contract."""
    return contract()


@pytest.fixture
def raw_table() -> pd.DataFrame:
    """The project's raw data (the catalog's `raw_data`) as a pandas frame, to edit."""
    return load("raw_data")


@pytest.fixture(scope="session")
def raw() -> pd.DataFrame:
    """The raw data, as stage 01 receives it."""
    return load("raw_data")


@pytest.fixture(scope="session")
def split_parameters() -> dict:
    return parameters("data_preprocessing")


@pytest.fixture(scope="session")
def clean(raw: pd.DataFrame, split_parameters: dict) -> pd.DataFrame:
    nodes = stage_module("preprocessing")
    data = parameters("data_contract")
    return nodes.clean_data(nodes.validate_raw_data(raw, data), data, split_parameters)


@pytest.fixture(scope="session")
def splits(clean: pd.DataFrame, split_parameters: dict) -> tuple[pd.DataFrame, ...]:
    """Train, eval and test as stage 01 writes them."""
    data = parameters("data_contract")
    return stage_module("preprocessing").split_data(clean, data, split_parameters)


@pytest.fixture(scope="session")
def fitted(splits: tuple[pd.DataFrame, ...], engine: PandasEngine) -> dict[str, Any]:
    """Transformers, features and model fitted the way stages 02 and 03 do."""
    return fit_stages(splits, engine.training)
