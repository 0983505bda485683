"""Feature transformers on Spark ML: fitted on the training split only, applied everywhere.

Stage 02 fits the pipeline and persists it; stage 02 and the batch scorer turn raw rows
into the model's input vector through `build_features`, so training and scoring cannot
drift. Stage 03 exports it with the model as one ONNX graph, which the HTTP app serves.
Which columns are numbers and which are categories is the data contract's to say.

Spark ML takes a dot in a column name for a struct's field, so the stages read every
column under its Python name (`Column.field`: `od280/od315` becomes `od280_od315`); the
columns they add start with `_`, which no such name does.
"""

from __future__ import annotations

from typing import Any

from kedro_ml_starter.runtime import DataContract
from pyspark.ml import Pipeline
from pyspark.ml.feature import (
    Imputer,
    OneHotEncoder,
    StandardScaler,
    StringIndexer,
    StringIndexerModel,
    VectorAssembler,
)
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

FEATURES = "_features"  # the model's input vector
OTHER = "other"  # the one-hot slot of a missing or unseen category


def make_feature_pipeline(
    contract: DataContract,
    numeric_imputation: str = "median",
    scale_numbers: bool = True,
) -> Pipeline:
    """Unfitted: numbers imputed (then scaled); categories one-hot encoded, a missing or
    unseen value in a slot of its own."""
    numbers = [c.field for c in contract.features if c.numeric]
    categories = [c.field for c in contract.features if c.kind == "category"]
    stages: list[Any] = []
    parts = []
    if numbers:
        imputed = [f"_imputed_{name}" for name in numbers]
        stages += [
            Imputer(strategy=numeric_imputation, inputCols=numbers, outputCols=imputed),
            VectorAssembler(inputCols=imputed, outputCol="_numbers"),
        ]
        parts.append("_numbers")
        if scale_numbers:
            stages.append(
                StandardScaler(inputCol="_numbers", outputCol="_scaled", withMean=True)
            )
            parts = ["_scaled"]
    if categories:
        indexed = [f"_index_{name}" for name in categories]
        encoded = [f"_onehot_{name}" for name in categories]
        stages += [
            StringIndexer(
                inputCols=categories,
                outputCols=indexed,
                handleInvalid="keep",
                stringOrderType="alphabetAsc",
            ),
            OneHotEncoder(inputCols=indexed, outputCols=encoded, dropLast=False),
        ]
        parts += encoded
    return Pipeline(
        stages=[*stages, VectorAssembler(inputCols=parts, outputCol=FEATURES)]
    )


def as_fields(rows: DataFrame, contract: DataContract) -> DataFrame:
    """`rows` with each column of the contract renamed to its Python name."""
    return rows.withColumnsRenamed({c.name: c.field for c in contract.columns})


def build_features(
    rows: DataFrame, transformers: Any, contract: DataContract
) -> DataFrame:
    """`rows` under their Python names plus the model's input vector FEATURES (the steps
    in between dropped), whose slots are named after the columns and categories."""
    transformed = transformers.transform(as_fields(rows, contract))
    kept = [F.col(name) for name in transformed.columns if not name.startswith("_")]
    # Every slot as a plain number: Spark's trees would take one-hot slots for
    # categories, and onnxmltools converts their splits wrongly (they split the same).
    slots = [
        {"idx": i, "name": n} for i, n in enumerate(_slots(transformers, contract))
    ]
    metadata = {"ml_attr": {"attrs": {"numeric": slots}, "num_attrs": len(slots)}}
    return transformed.select(*kept, F.col(FEATURES).alias(FEATURES, metadata=metadata))


def feature_names(features: DataFrame) -> list[str]:
    """The name of each slot of FEATURES, from the metadata `build_features` attaches."""
    slots = features.schema[FEATURES].metadata["ml_attr"]["attrs"]["numeric"]
    return [str(slot["name"]) for slot in sorted(slots, key=lambda slot: slot["idx"])]


def _slots(transformers: Any, contract: DataContract) -> list[str]:
    """Each number, then `<column>_<category>` per category learned and per column one
    `<column>_other` for a missing or unseen value."""
    names = list(contract.numeric_features)
    for stage in transformers.stages:
        if isinstance(stage, StringIndexerModel):
            columns = contract.categorical_features
            for column, labels in zip(columns, stage.labelsArray, strict=True):
                names += [f"{column}_{label}" for label in (*labels, OTHER)]
    return names
