"""Scoring on Spark: one function shared by the batch pipeline (stage 05) and stage 04,
and `predict_frame` for the HTTP app's `spark` runtime.

All of them score with `score_frame` and the same persisted transformers and model, so a
row gets the same prediction whichever way it is scored.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro_ml_starter.runtime import DataContract, spark_ddl
from pyspark.ml.functions import vector_to_array
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .features import as_fields, build_features

# The columns the model adds (stage 03 names them): a regressor's prediction, or a
# classifier's class index, probability vector and class name.
PREDICTION, PROBABILITY, PREDICTED_CLASS = "_prediction", "_probability", "_class"


def score_frame(
    rows: DataFrame, transformers: Any, model: Any, contract: DataContract
) -> DataFrame:
    """`rows`' columns, `predicted_<target>` and, for classification, one
    `probability_<class>` column per class of the contract.

    `rows` holds raw columns that already passed validation; the target, if present, is
    kept as it is (stage 04 compares it with the prediction).
    """
    scored = model.transform(build_features(rows, transformers, contract))
    fields = as_fields(rows, contract).columns
    kept = [F.col(field).alias(name) for field, name in zip(fields, rows.columns)]
    if not contract.classification:
        predicted = F.col(PREDICTION).alias(contract.prediction_column)
        return scored.select(*kept, predicted)
    probabilities = vector_to_array(F.col(PROBABILITY), dtype="float32")
    return scored.select(
        *kept,
        F.col(PREDICTED_CLASS).alias(contract.prediction_column),
        *(
            probabilities[i].alias(name)
            for i, name in enumerate(contract.probability_columns)
        ),
    )


def predict_frame(
    rows: pd.DataFrame, transformers: Any, model: Any, contract: DataContract
) -> pd.DataFrame:
    """For the HTTP app's `spark` runtime: pandas rows in (raw columns, validated), pandas
    predictions out, scored by `score_frame`. Missing values become Spark nulls."""
    # The session Kedro started (SparkHooks); `getActiveSession` would not see it
    # from the server's worker threads, as it is per thread.
    spark = SparkSession.builder.getOrCreate()
    columns = [contract.column(name) for name in rows.columns]
    values = [
        [
            None if pd.isna(v) else int(v) if c.kind == "integer" else v
            for v in rows[c.name]
        ]
        for c in columns
    ]
    schema = spark_ddl(contract.schema(new_rows=True), list(rows.columns))
    frame = spark.createDataFrame(list(zip(*values)), schema=schema)
    scored = score_frame(frame, transformers, model, contract)
    predictions = scored.drop(*rows.columns).toPandas()
    return predictions.set_axis(rows.index)
