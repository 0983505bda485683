"""Fitting (train split only) and applying the feature transformers, on Spark ML."""

from __future__ import annotations

from typing import Any

from pyspark.sql import DataFrame

from {{ cookiecutter.python_package }}.utils.features import (
    FEATURES,
    build_features,
    make_feature_pipeline,
)
from {{ cookiecutter.python_package }}.utils.schema import (
    FEATURE_COLUMNS,
    TARGET,
)


def fit_transformers(train: DataFrame, parameters: dict[str, Any]) -> Any:
    """A fitted `PipelineModel`: eval and test never inform it."""
    pipeline = make_feature_pipeline(parameters["numeric_imputation"])
    return pipeline.fit(train.select(*FEATURE_COLUMNS))


def transform_split(split: DataFrame, transformers: Any) -> DataFrame:
    """Model inputs for one split: the `features` vector and the species column."""
    return build_features(split, transformers).select(FEATURES, TARGET)
