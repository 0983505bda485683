"""Fitting (train split only) and applying the feature transformers."""

from __future__ import annotations

from typing import Any

import pandas as pd

from {{ cookiecutter.python_package }}.utils.features import (
    build_features,
    make_feature_transformer,
)
from {{ cookiecutter.python_package }}.utils.schema import (
    FEATURE_COLUMNS,
    TARGET,
)


def fit_transformers(train: pd.DataFrame, parameters: dict[str, Any]) -> Any:
    """Transformers fitted on the training split: eval and test never inform them."""
    transformer = make_feature_transformer(parameters["numeric_imputation"])
    return transformer.fit(train.loc[:, list(FEATURE_COLUMNS)])


def transform_split(split: pd.DataFrame, transformers: Any) -> pd.DataFrame:
    """Model inputs for one split, with its species column kept for training and scoring."""
    features = build_features(split, transformers)
    features[TARGET] = split[TARGET]
    return features
