"""Fitting (train split only) and applying the feature transformers, on Spark ML."""

from __future__ import annotations

from typing import Any

from kedro_ml_starter.runtime import DataContract
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from {{ cookiecutter.python_package }}.utils.features import (
    FEATURES,
    as_fields,
    build_features,
    make_feature_pipeline,
)


def fit_transformers(
    train: DataFrame, data_contract: dict[str, Any], parameters: dict[str, Any]
) -> Any:
    """A fitted `PipelineModel`: eval and test never inform it."""
    contract = DataContract.from_parameters(data_contract)
    pipeline = make_feature_pipeline(
        contract, parameters["numeric_imputation"], parameters["scale_numbers"]
    )
    features = [F.col(c.field) for c in contract.features]
    return pipeline.fit(as_fields(train, contract).select(*features))


def transform_split(
    split: DataFrame, transformers: Any, data_contract: dict[str, Any]
) -> DataFrame:
    """Model inputs for one split: the input vector, and the target for training and
    scoring."""
    contract = DataContract.from_parameters(data_contract)
    target = contract.column(contract.target)
    features = build_features(split, transformers, contract)
    return features.select(FEATURES, F.col(target.field).alias(target.name))
