"""Fitting (train split only) and applying the feature transformers."""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro_ml_starter.runtime import DataContract

from {{ cookiecutter.python_package }}.utils.features import (
    build_features,
    make_feature_transformer,
)


def fit_transformers(
    train: pd.DataFrame, data_contract: dict[str, Any], parameters: dict[str, Any]
) -> Any:
    """Transformers fitted on the training split: eval and test never inform them."""
    contract = DataContract.from_parameters(data_contract)
    transformer = make_feature_transformer(
        contract, parameters["numeric_imputation"], parameters["scale_numbers"]
    )
    return transformer.fit(train.loc[:, list(contract.feature_names)])


def transform_split(
    split: pd.DataFrame, transformers: Any, data_contract: dict[str, Any]
) -> pd.DataFrame:
    """Model inputs for one split, with its target column kept for training and scoring."""
    target = DataContract.from_parameters(data_contract).target
    features = build_features(split, transformers)
    features[target] = split[target]
    return features
