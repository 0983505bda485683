"""The naive baseline of a Spark project: `promotion.naive_model`'s, fitted on Spark.

The promotion gate's first check is that a model beats a baseline that ignores the
features (the train split's class shares, so its label is the majority class, or its mean
target). On a Spark project stage 04 scores models by their `transform`, so the baseline
is a model with a `transform` too: it adds the columns a Spark model of the template adds
(stage 03 names them: `_prediction`; a classifier's `_probability` vector and `_class`
name), constant, and the Spark metrics score it exactly like the model. Fitting it is one
aggregation over the train split; nothing is collected but a row per class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kedro_ml_starter.runtime.spark_validation import spark_column

# The columns the template's Spark models add (its utils/scoring.py names them).
PREDICTION, PROBABILITY, PREDICTED_CLASS = "_prediction", "_probability", "_class"


@dataclass(frozen=True)
class SparkNaiveModel:
    """Predicts `mean` (regression), or `majority` with the train split's class `shares`
    in the contract's class order (classification), whatever the row holds. Plain values
    only: Kedro copies it between nodes."""

    classification: bool
    mean: float | None = None
    majority: str | None = None
    shares: tuple[float, ...] = ()

    def transform(self, frame: Any) -> Any:
        """`frame` with the model's columns added, each the same for every row."""
        # pyspark loads when a Spark project's stage 04 runs: a pandas project never does
        from pyspark.ml.functions import array_to_vector
        from pyspark.sql import functions as F

        if not self.classification:
            return frame.withColumn(PREDICTION, F.lit(self.mean).cast("double"))
        shares = F.array(*(F.lit(share).cast("double") for share in self.shares))
        return frame.withColumns({PREDICTED_CLASS: F.lit(self.majority),
                                  PROBABILITY: array_to_vector(shares)})


def fit_spark_naive_model(train_features: Any, contract: Any) -> SparkNaiveModel:
    """The baseline of a Spark train split (the target column named as the contract
    names it): its mean target, or its class shares and most frequent class (the first
    of the contract's classes on a tie, as scikit-learn's DummyClassifier takes the
    first of its sorted classes)."""
    # pyspark loads when a Spark project's stage 04 runs: a pandas project never does
    from pyspark.sql import functions as F

    target = spark_column(contract.target)
    if not contract.classification:
        mean = train_features.agg(F.avg(target.cast("double")).alias("mean")).first()["mean"]
        return SparkNaiveModel(classification=False, mean=float(mean or 0.0))
    counts = {str(row["label"]): int(row["count"]) for row in
              train_features.groupBy(target.alias("label")).count().collect()}
    classes = list(contract.classes)
    total = sum(counts.get(label, 0) for label in classes) or 1
    majority = max(classes, key=lambda label: (counts.get(label, 0), -classes.index(label)))
    return SparkNaiveModel(classification=True, majority=majority,
                           shares=tuple(counts.get(label, 0) / total for label in classes))
