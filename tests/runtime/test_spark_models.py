"""A Spark project's model and its metrics: any MLlib estimator from its import path (with
the same one-line refusals as scikit-learn's), metrics Spark reduces first that equal
the pandas engine's, and the promotion gate's naive baseline fitted on Spark, scored as
the pandas engine's is, for both tasks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kedro_ml_starter.runtime import (
    DataContract,
    EstimatorError,
    UnknownClassError,
    classification_metrics,
    fit_naive_model,
    make_spark_estimator,
    naive_model,
    regression_metrics,
    spark_classification_metrics,
    spark_regression_metrics,
    spark_sample,
)

pytestmark = pytest.mark.spark

CLASSIFIER = "pyspark.ml.classification.LogisticRegression"


def _contract(target: str, task: str, classes: tuple[str, ...] = ()) -> DataContract:
    """A two-column contract: a number `x`, and the target (`a class` or `an amount`)."""
    columns = {"x": {"dtype": "float64", "nullable": True}}
    columns[target] = ({"dtype": "category", "isin": list(classes)} if classes
                       else {"dtype": "float64"})
    return DataContract.from_schema({"schema_type": "dataframe", "columns": columns},
                                    target=target, task=task)


def test_an_estimator_is_built_from_its_import_path_and_arguments(spark):
    estimator = make_spark_estimator(
        {"type": CLASSIFIER, "arguments": {"regParam": 0.5, "maxIter": 7}}, "classification")
    assert type(estimator).__name__ == "LogisticRegression"
    assert (estimator.getRegParam(), estimator.getMaxIter()) == (0.5, 7)
    tree = make_spark_estimator({"type": "pyspark.ml.regression.RandomForestRegressor"},
                                "regression")
    assert type(tree).__name__ == "RandomForestRegressor"


@pytest.mark.parametrize(("spec", "task", "message"), [
    ({"type": "pyspark.ml.classification.NoSuchModel"}, "classification",
     ("names 'pyspark.ml.classification.NoSuchModel', which cannot be imported: write the "
      "class's import path, e.g. pyspark.ml.classification.LogisticRegression")),
    ({"type": CLASSIFIER, "arguments": {"C": 1.0}}, "classification",
     "pyspark.ml.classification.LogisticRegression does not take these arguments ("),
    ({"type": CLASSIFIER, "params": {}}, "classification", "has unknown key 'params'"),
    ({"type": CLASSIFIER}, "regression",
     ("pyspark.ml.classification.LogisticRegression is not a Spark MLlib regressor, and the "
      "data contract's task is regression")),
    ({"type": "sklearn.linear_model.LogisticRegression"}, "classification",
     "sklearn.linear_model.LogisticRegression is not a Spark MLlib classifier"),
    ({"type": "pyspark.ml.classification.LinearSVC"}, "classification",
     "pyspark.ml.classification.LinearSVC gives no class probabilities"),
], ids=["not importable", "wrong arguments", "unknown key", "wrong task", "scikit-learn",
        "no probabilities"])
def test_an_estimator_that_cannot_serve_is_refused_in_one_line(spark, spec, task, message):
    with pytest.raises(EstimatorError) as raised:
        make_spark_estimator(spec, task)
    assert message in str(raised.value) and "\n" not in str(raised.value)


@pytest.fixture(scope="module")
def scored(spark):
    """Scored rows of a binary classifier: the truth, the prediction, its probabilities."""
    rng = np.random.default_rng(5)
    truth = rng.choice(["no", "yes"], size=80)
    p_yes = np.clip(np.where(truth == "yes", 0.7, 0.3) + rng.normal(0, 0.2, 80), 0.01, 0.99)
    predicted = np.where(p_yes > 0.5, "yes", "no")
    rows = [(str(t), str(p), [float(1 - q), float(q)])
            for t, p, q in zip(truth, predicted, p_yes)]
    frame = spark.createDataFrame(rows, "`a class` string, _class string, p array<double>")
    from pyspark.ml.functions import array_to_vector

    return frame.withColumn("_probability", array_to_vector("p")), truth, predicted, p_yes


def test_binary_metrics_equal_the_pandas_engines_roc_auc_included(scored):
    frame, truth, predicted, p_yes = scored
    contract = _contract("a class", "classification", ("no", "yes"))
    codes = {"no": 0, "yes": 1}

    metrics = spark_classification_metrics(frame, contract, "_class", "_probability")

    expected = classification_metrics(
        [codes[t] for t in truth], [codes[p] for p in predicted], ["no", "yes"],
        probabilities=np.column_stack([1 - p_yes, p_yes]), positive="yes")
    assert list(metrics) == list(expected)  # the same report, key for key
    for key, value in expected.items():
        if key == "per_class":
            for label, scores in value.items():
                assert metrics[key][label] == pytest.approx(scores), label
        else:
            assert metrics[key] == (value if isinstance(value, dict) else pytest.approx(value))


def test_a_class_outside_the_contract_is_named(scored):
    from pyspark.sql import functions as F

    frame = scored[0].withColumn("a class", F.lit("maybe"))
    contract = _contract("a class", "classification", ("no", "yes"))
    with pytest.raises(UnknownClassError, match="a class values maybe are not among"):
        spark_classification_metrics(frame, contract, "_class")


def test_regression_metrics_equal_the_pandas_engines_and_a_sample_plots(spark):
    rng = np.random.default_rng(2)
    actual = rng.normal(100, 20, 300)
    predicted = actual + rng.normal(0, 5, 300)
    frame = spark.createDataFrame(pd.DataFrame({"an amount": actual, "_prediction": predicted}))

    metrics = spark_regression_metrics(frame, "an amount", "_prediction")

    assert metrics == pytest.approx(regression_metrics(actual, predicted))
    one = spark_regression_metrics(frame.limit(1), "an amount", "_prediction")
    assert one["rows"] == 1 and one["r2"] is None and math.isfinite(one["rmse"])
    points = spark_sample(frame, "an amount", "_prediction", rows=300, limit=100)
    assert 0 < len(points[0]) == len(points[1]) <= 100
    assert set(points[0]) <= set(actual)


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_the_naive_baseline_on_spark_scores_as_the_pandas_engines(spark, task):
    """Fitted on a Spark train split (`fit_naive_model`, the stage-04 node of both
    engines), it predicts one thing for every row and scores on the eval rows as
    scikit-learn's DummyClassifier / DummyRegressor fitted on the same train rows."""
    rng = np.random.default_rng(5)
    classes = ("no", "yes", "maybe")
    classification = task == "classification"
    target = "a class" if classification else "an amount"
    contract = _contract(target, task, classes if classification else ())

    def table(rows: int) -> pd.DataFrame:
        values = (rng.choice(classes, rows, p=[0.5, 0.3, 0.2]) if classification
                  else rng.normal(100, 20, rows))
        return pd.DataFrame({"x": rng.normal(0, 1, rows), target: values})

    train, evaluation = table(200), table(80)
    naive = fit_naive_model(spark.createDataFrame(train), contract.to_parameters())
    scored = naive.transform(spark.createDataFrame(evaluation))
    dummy = naive_model(train[["x"]], train[target], classification=classification)

    if not classification:
        assert scored.select("_prediction").distinct().count() == 1
        metrics = spark_regression_metrics(scored, target, "_prediction")
        expected = regression_metrics(evaluation[target], dummy.predict(evaluation[["x"]]))
        assert metrics == pytest.approx(expected)
        return
    assert scored.select("_class").distinct().collect()[0]["_class"] == "no"  # majority
    metrics = spark_classification_metrics(scored, contract, "_class", "_probability")
    codes = {label: i for i, label in enumerate(contract.classes)}
    expected = classification_metrics(
        [codes[t] for t in evaluation[target]],
        [codes[p] for p in dummy.predict(evaluation[["x"]])], list(contract.classes))
    assert (metrics["accuracy"], metrics["f1_macro"]) == pytest.approx(
        (expected["accuracy"], expected["f1_macro"]))
    shares = np.array(naive.shares)
    by_class = dict(zip(dummy.classes_, dummy.class_prior_, strict=True))
    assert shares == pytest.approx([by_class[label] for label in contract.classes])
