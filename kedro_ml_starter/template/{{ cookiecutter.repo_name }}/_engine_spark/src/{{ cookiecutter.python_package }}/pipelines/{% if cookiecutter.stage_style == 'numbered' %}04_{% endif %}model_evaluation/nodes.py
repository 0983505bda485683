"""Evaluation on Spark: each split scored and reduced by Spark to what its metrics need
(the metrics and the figure are the pandas engine's); the ONNX parity check; what the
verdict on the model (promoted, so served, or not) compares: the eval split only."""

from __future__ import annotations

from typing import Any

from kedro_ml_starter.runtime import (
    SPARK,
    Comparison,
    DataContract,
    ModelVersions,
    OnnxGraph,
    check_parity,
    check_regression_parity,
    evaluation_figure,
    model_class,
    spark_classification_metrics,
    spark_regression_metrics,
    spark_sample,
)
from matplotlib.figure import Figure
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from {{ cookiecutter.python_package }}.utils.features import (
    FEATURES,
    build_features,
)
from {{ cookiecutter.python_package }}.utils.scoring import (
    PREDICTED_CLASS,
    PREDICTION,
    PROBABILITY,
    score_frame,
)

SPLITS = ("eval", "test")


def check_onnx_parity(
    model_onnx: OnnxGraph,
    transformers: Any,
    model: Any,
    eval_split: DataFrame,
    data_contract: dict[str, Any],
) -> dict[str, Any]:
    """Scores the eval split with the ONNX graph and with Spark ML; fails the run in one
    line if a label differs or a probability by more than 1e-3 (classification), or a
    prediction by more than 1e-4 of the largest one (regression)."""
    contract = DataContract.from_parameters(data_contract)
    expected = score_frame(eval_split, transformers, model, contract).toPandas()
    predicted = expected[contract.prediction_column]
    if not contract.classification:
        return check_regression_parity(model_onnx, expected, predicted, reference=SPARK)
    probabilities = expected[list(contract.probability_columns)].to_numpy()
    labels, classes = predicted.tolist(), contract.classes
    return check_parity(
        model_onnx, expected, labels, probabilities, classes, reference=SPARK
    )


def evaluate_model(
    model: Any,
    eval_features: DataFrame,
    test_features: DataFrame,
    data_contract: dict[str, Any],
    onnx_parity: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The metrics of each split (see `split_metrics`), and how closely the served ONNX
    graph follows the model."""
    contract = DataContract.from_parameters(data_contract)
    metrics: dict[str, Any] = {
        "model_class": model_class(model.stages[0]),
        "task": contract.task,
        "target": contract.target,
    }
    if contract.positive is not None:
        metrics["positive_class"] = contract.positive
    for name, features in zip(SPLITS, (eval_features, test_features)):
        metrics[name] = split_metrics(model, features, contract)
    if onnx_parity is not None:
        metrics["onnx_parity"] = onnx_parity
    return metrics


def split_metrics(
    model: Any, features: DataFrame, contract: DataContract
) -> dict[str, Any]:
    """Regression: RMSE, MAE, R². Classification: accuracy, macro F1, a per-class report
    and the confusion matrix (binary: ROC AUC, precision and recall of the positive
    class). Spark reduces the split to a few rows first."""
    scored = model.transform(features)
    if not contract.classification:
        return spark_regression_metrics(scored, contract.target, PREDICTION)
    return spark_classification_metrics(scored, contract, PREDICTED_CLASS, PROBABILITY)


def eval_metrics(
    model: Any, eval_features: DataFrame, data_contract: dict[str, Any]
) -> dict[str, Any]:
    """The eval split's metrics alone: what the verdict reads, so the test split never
    chooses what is served."""
    contract = DataContract.from_parameters(data_contract)
    return split_metrics(model, eval_features, contract)


def compare_with_promoted(
    model_versions: ModelVersions,
    eval_metrics: dict[str, Any],
    eval_split: DataFrame,
    data_contract: dict[str, Any],
    promotion: dict[str, Any],
) -> Comparison:
    """This model's eval metrics against the newest promoted version's, scored with its
    own transformers on the run's eval split as in stage 02: `no_worse_than_promoted`."""
    contract = DataContract.from_parameters(data_contract)
    target = contract.column(contract.target)

    def score(transformers: Any, model: Any) -> dict[str, Any]:
        features = build_features(eval_split, transformers, contract).select(
            FEATURES, F.col(target.field).alias(target.name)
        )
        return split_metrics(model, features, contract)

    return model_versions.compare(promotion, score, eval_metrics, contract=contract)


def plot_evaluation(
    metrics: dict[str, Any],
    model: Any,
    eval_features: DataFrame,
    test_features: DataFrame,
    data_contract: dict[str, Any],
) -> Figure:
    """A confusion matrix per split (classification), or predicted against actual and the
    residuals per split (regression, a sample of at most a few thousand rows)."""
    contract = DataContract.from_parameters(data_contract)
    predictions = None
    if not contract.classification:
        predictions = {
            name: spark_sample(
                model.transform(split),
                contract.target,
                PREDICTION,
                metrics[name]["rows"],
            )
            for name, split in zip(SPLITS, (eval_features, test_features))
        }
    return evaluation_figure(metrics, predictions, target=contract.target)
