"""The metrics of a split scored by Spark, computed where the rows are.

`reporting` computes metrics from values in memory; a Spark split may not fit there. So
these functions reduce a scored split on Spark first, to what the metrics need, and hand
that to the same `reporting` functions, so `metrics.json` has the pandas engine's format:

- classification: the (true, predicted) pairs and their counts (a few rows at most), and
  for binary classification the ROC AUC of the positive class, from Spark's evaluator;
- regression: the sums behind RMSE, MAE and R², in one aggregation;
- the figure's points: a sample of (actual, predicted) pairs, at most `SAMPLE_ROWS`.

Columns are named as the data names them (any characters: see `spark_column`).
"""

from __future__ import annotations

import math
from typing import Any

from kedro_ml_starter.errors import UserError
from kedro_ml_starter.runtime.reporting import classification_metrics
from kedro_ml_starter.runtime.spark_validation import spark_column

SAMPLE_ROWS = 5_000  # points a scatter plot shows legibly


class UnknownClassError(UserError):
    """Raised when a scored split holds target values that are not among the classes."""


def spark_classification_metrics(scored: Any, contract: Any, predicted: str,
                                 probability: str | None = None) -> dict[str, Any]:
    """`reporting.classification_metrics` of a split scored by a classifier: the contract's
    target against `predicted` (class names); with `probability` (a vector column in the
    order of the contract's classes), a binary contract's ROC AUC too."""
    # pyspark and numpy load when a Spark split is scored: `kedro_ml_starter.runtime`
    # lists these names, and a pandas project never calls them
    from pyspark.sql import functions as F

    labels = list(contract.classes)
    codes = {label: i for i, label in enumerate(labels)}
    pairs = scored.groupBy(spark_column(contract.target).alias("truth"),
                           spark_column(predicted).alias("predicted")).count().collect()
    unknown = sorted({str(row["truth"]) for row in pairs if row["truth"] not in codes})
    if unknown:
        raise UnknownClassError(
            f"{contract.target} values {', '.join(unknown)} are not among the model's classes "
            f"({', '.join(labels)}): add them to the data contract and train again")
    metrics = classification_metrics(
        [codes[row["truth"]] for row in pairs], [codes[row["predicted"]] for row in pairs],
        labels, positive=contract.positive, weights=[row["count"] for row in pairs])
    if contract.positive is None or probability is None:
        return metrics
    auc = _roc_auc(scored.select(
        (spark_column(contract.target) == F.lit(contract.positive)).cast("double").alias("label"),
        _element(probability, codes[contract.positive]).alias("score")))
    # Where the pandas engine's report has it: after precision and recall.
    ordered: dict[str, Any] = {}
    for key, value in metrics.items():
        ordered[key] = value
        if key == "recall":
            ordered["roc_auc"] = auc
    return ordered


def spark_regression_metrics(scored: Any, truth: str, predicted: str) -> dict[str, Any]:
    """RMSE, MAE and R² of `predicted` against `truth`, as `reporting.regression_metrics`
    computes them (R² is null for fewer than two rows, 0 for a constant truth)."""
    # pyspark and numpy load when a Spark split is scored: `kedro_ml_starter.runtime`
    # lists these names, and a pandas project never calls them
    from pyspark.sql import functions as F

    actual = spark_column(truth).cast("double")
    error = actual - spark_column(predicted).cast("double")
    sums = scored.agg(F.count(F.lit(1)).alias("rows"), F.sum(error * error).alias("squared"),
                      F.sum(F.abs(error)).alias("absolute"),
                      F.var_pop(actual).alias("variance")).first()
    rows = int(sums["rows"])
    if rows == 0:
        return {"rows": 0, "rmse": None, "mae": None, "r2": None}
    total = float(sums["variance"]) * rows
    squared = float(sums["squared"])
    r2 = None if rows < 2 else 1 - squared / total if total > 0 else float(squared == 0)
    return {"rows": rows, "rmse": math.sqrt(squared / rows),
            "mae": float(sums["absolute"]) / rows, "r2": r2}


def spark_sample(scored: Any, truth: str, predicted: str, rows: int | None = None,
                 limit: int = SAMPLE_ROWS, seed: int = 0) -> tuple[Any, Any]:
    """(actual, predicted) arrays of at most about `limit` rows of a split of `rows` rows
    (a random sample when it holds more): the points of the regression figure."""
    # pyspark and numpy load when a Spark split is scored: `kedro_ml_starter.runtime`
    # lists these names, and a pandas project never calls them
    import numpy as np

    if rows is not None and rows > limit:
        scored = scored.sample(fraction=limit / rows, seed=seed)
    points = scored.select(spark_column(truth).cast("double").alias("actual"),
                           spark_column(predicted).cast("double").alias("predicted"))
    table = points.limit(limit).toPandas()
    return (table["actual"].to_numpy(dtype=np.float64),
            table["predicted"].to_numpy(dtype=np.float64))


def _element(vector: str, index: int) -> Any:
    # as above: pyspark loads when a Spark split is scored
    from pyspark.ml.functions import vector_to_array

    return vector_to_array(spark_column(vector))[index]


def _roc_auc(frame: Any) -> float | None:
    """The area under the ROC curve of `score` for `label` (1.0 positive), exact (no
    down-sampling); None when the split holds only one of the two (undefined)."""
    # pyspark and numpy load when a Spark split is scored: `kedro_ml_starter.runtime`
    # lists these names, and a pandas project never calls them
    from pyspark.ml.evaluation import BinaryClassificationEvaluator
    from pyspark.sql import functions as F

    counts = frame.agg(F.count(F.lit(1)).alias("rows"), F.sum("label").alias("positive")).first()
    if not 0 < (counts["positive"] or 0) < counts["rows"]:
        return None
    evaluator = BinaryClassificationEvaluator(rawPredictionCol="score", labelCol="label",
                                              metricName="areaUnderROC", numBins=0)
    return float(evaluator.evaluate(frame))
