"""Scoring on Spark: one function shared by the batch pipeline (stage 05) and the HTTP app.

`score_frame` turns validated rows into predictions on Spark; the batch pipeline calls
it on the whole new file, and the HTTP app (through `predict_frame`) on each micro-batch
of requests, with the same persisted transformers and model: no train/serve skew.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro_ml_starter.runtime.spark_validation import spark_ddl
from pyspark.ml.functions import vector_to_array
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .features import build_features
from .schema import RAW_SCHEMA, TARGET

PREDICTION = f"predicted_{TARGET}"
PROBABILITY_PREFIX = "probability_"
_PROBABILITY = "probability"  # what Spark ML's classifiers call their probability vector


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
    return scored.select(
        *rows.columns,
        F.col(PREDICTION),
        *(probabilities[i].alias(PROBABILITY_PREFIX + c)
          for i, c in enumerate(classes_of(model))),
    )


def predict_frame(rows: pd.DataFrame, transformers: Any, model: Any) -> pd.DataFrame:
    """For the HTTP app: pandas rows in, pandas predictions out, scored by `score_frame`.

    Missing values (NaN) become Spark nulls, as a missing field in a raw file does.
    """
    # The session Kedro started (SparkHooks); `getActiveSession` would not see it
    # from the server's worker threads, as it is per thread.
    spark = SparkSession.builder.getOrCreate()
    columns = [[None if pd.isna(v) else v for v in rows[name].tolist()] for name in rows.columns]
    frame = spark.createDataFrame(list(zip(*columns)), schema=spark_ddl(RAW_SCHEMA, rows.columns))
    scored = score_frame(frame, transformers, model).drop(*rows.columns).toPandas()
    scored.index = rows.index
    return scored
