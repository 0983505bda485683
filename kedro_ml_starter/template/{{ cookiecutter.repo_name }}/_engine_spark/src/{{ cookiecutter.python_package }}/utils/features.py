"""Feature transformers on Spark ML: fitted on the training split only, applied everywhere.

Stage 02 fits the pipeline and persists it; stage 02 and the batch scorer turn raw rows
into the model's `features` vector through `build_features`, so training and scoring
cannot drift. Stage 03 exports it with the model as one ONNX graph, which the HTTP app
serves.
"""

from __future__ import annotations

from typing import Any

from pyspark.ml import Pipeline
from pyspark.ml.feature import (
    Imputer,
    OneHotEncoder,
    StandardScaler,
    StringIndexer,
    VectorAssembler,
)
from pyspark.sql import DataFrame

from .schema import CATEGORICAL_FEATURES, NUMERIC_FEATURES

FEATURES = "features"
_IMPUTED = [f"{name}__imputed" for name in NUMERIC_FEATURES]
_INDEXED = [f"{name}__index" for name in CATEGORICAL_FEATURES]
_ENCODED = [f"{name}__onehot" for name in CATEGORICAL_FEATURES]
_NUMERIC, _SCALED = "numeric__vector", "numeric__scaled"
INTERMEDIATE_COLUMNS = (*_IMPUTED, *_INDEXED, *_ENCODED, _NUMERIC, _SCALED)


def make_feature_pipeline(numeric_imputation: str = "median") -> Pipeline:
    """Unfitted: numbers imputed then scaled; categories one-hot encoded, missing or
    unseen values in a column of their own."""
    return Pipeline(
        stages=[
            Imputer(
                strategy=numeric_imputation,
                inputCols=list(NUMERIC_FEATURES),
                outputCols=_IMPUTED,
            ),
            VectorAssembler(inputCols=_IMPUTED, outputCol=_NUMERIC),
            StandardScaler(
                inputCol=_NUMERIC, outputCol=_SCALED, withMean=True, withStd=True
            ),
            StringIndexer(
                inputCols=list(CATEGORICAL_FEATURES),
                outputCols=_INDEXED,
                handleInvalid="keep",
                stringOrderType="alphabetAsc",
            ),
            OneHotEncoder(inputCols=_INDEXED, outputCols=_ENCODED, dropLast=False),
            VectorAssembler(inputCols=[_SCALED, *_ENCODED], outputCol=FEATURES),
        ]
    )


def build_features(rows: DataFrame, transformers: Any) -> DataFrame:
    """`rows` plus the model's input vector `features` (the steps in between dropped)."""
    return transformers.transform(rows).drop(*INTERMEDIATE_COLUMNS)


def feature_names(frame: DataFrame) -> list[str]:
    """The names of the `features` vector's slots, from the metadata Spark ML attaches."""
    attributes = frame.schema[FEATURES].metadata.get("ml_attr", {}).get("attrs", {})
    slots = [slot for group in attributes.values() for slot in group]
    return [str(slot["name"]) for slot in sorted(slots, key=lambda slot: slot["idx"])]
