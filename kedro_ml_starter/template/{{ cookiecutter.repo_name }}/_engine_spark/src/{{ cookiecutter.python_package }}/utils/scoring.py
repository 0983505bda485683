"""Scoring on Spark: one function shared by the batch pipeline (stage 05) and the parity
check of stage 04, and `predict_frame` for the HTTP app's `spark` runtime.

All of them score with `score_frame` and the same persisted transformers and model, so a
row gets the same prediction whichever way it is scored.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro_ml_starter.runtime.spark_validation import spark_ddl
from pyspark.ml.functions import vector_to_array
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .features import build_features
from .schema import PREDICTION, PROBABILITY_PREFIX
from .validation import RAW_SCHEMA

# What Spark ML's classifiers call their probability vector.
_PROBABILITY = "probability"


def classes_of(model: Any) -> list[str]:
    """The species the model predicts, in the order of its probability vector."""
    return [str(label) for label in model.stages[-1].getLabels()]


def score_frame(rows: DataFrame, transformers: Any, model: Any) -> DataFrame:
    """`rows`' columns, the predicted species and one probability column per species.

    `rows` holds raw columns that already passed validation; the target, if present, is
    kept as it is (stage 04 compares it with the prediction).
    """
    scored = model.transform(build_features(rows, transformers))
    probabilities = vector_to_array(F.col(_PROBABILITY), dtype="float32")
    classes = classes_of(model)
    return scored.select(
        *rows.columns,
        F.col(PREDICTION),
        *(
            probabilities[i].alias(PROBABILITY_PREFIX + c)
            for i, c in enumerate(classes)
        ),
    )


def predict_frame(rows: pd.DataFrame, transformers: Any, model: Any) -> pd.DataFrame:
    """For the HTTP app's `spark` runtime: pandas rows in, pandas predictions out, scored
    by `score_frame`. Missing values (NaN) become Spark nulls, as in a raw file.
    """
    # The session Kedro started (SparkHooks); `getActiveSession` would not see it
    # from the server's worker threads, as it is per thread.
    spark = SparkSession.builder.getOrCreate()
    columns = [rows[name].tolist() for name in rows.columns]
    values = [[None if pd.isna(v) else v for v in column] for column in columns]
    schema = spark_ddl(RAW_SCHEMA, rows.columns)
    frame = spark.createDataFrame(list(zip(*values)), schema=schema)
    scored = score_frame(frame, transformers, model).drop(*rows.columns).toPandas()
    scored.index = rows.index
    return scored
