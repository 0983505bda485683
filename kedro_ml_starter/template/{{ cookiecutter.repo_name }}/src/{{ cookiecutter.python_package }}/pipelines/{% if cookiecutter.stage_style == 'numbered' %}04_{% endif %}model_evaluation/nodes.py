"""Evaluation: metrics of the eval and test splits, a figure to look at, the check that
the ONNX graph the app serves scores like the model, and what the verdict on it (promoted,
so served, or not) compares: from the eval split only."""

from __future__ import annotations

from typing import Any

import pandas as pd
from kedro_ml_starter.runtime import (
    PROBABILITY_PREFIX,
    Comparison,
    DataContract,
    ModelVersions,
    OnnxGraph,
    check_parity,
    check_regression_parity,
    classification_metrics,
    evaluation_figure,
    model_class,
    regression_metrics,
)
from matplotlib.figure import Figure

from {{ cookiecutter.python_package }}.utils.features import (
    build_features,
)
from {{ cookiecutter.python_package }}.utils.scoring import (
    class_probabilities,
    predict_frame,
)

SPLITS = ("eval", "test")


def check_onnx_parity(
    model_onnx: OnnxGraph,
    transformers: Any,
    model: Any,
    eval_split: pd.DataFrame,
    data_contract: dict[str, Any],
) -> dict[str, Any]:
    """Scores the eval split with the ONNX graph and with scikit-learn; fails the run in one
    line if a label differs or a probability by more than 1e-3 (classification), or a
    prediction by more than 1e-4 of the largest one (regression)."""
    contract = DataContract.from_parameters(data_contract)
    expected = predict_frame(eval_split, transformers, model, contract)
    predicted = expected[contract.prediction_column]
    if not contract.classification:
        return check_regression_parity(model_onnx, eval_split, predicted)
    classes = [str(c) for c in model.classes_]
    probabilities = expected[[PROBABILITY_PREFIX + c for c in classes]].to_numpy()
    labels = predicted.astype(str).tolist()
    return check_parity(model_onnx, eval_split, labels, probabilities, classes)


def evaluate_model(
    model: Any,
    eval_features: pd.DataFrame,
    test_features: pd.DataFrame,
    data_contract: dict[str, Any],
    onnx_parity: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The metrics of each split (see `split_metrics`), and how closely the served ONNX
    graph follows the model."""
    contract = DataContract.from_parameters(data_contract)
    metrics: dict[str, Any] = {
        "model_class": model_class(model),
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
    model: Any, features: pd.DataFrame, contract: DataContract
) -> dict[str, Any]:
    """Regression: RMSE, MAE, R². Classification: accuracy, macro F1, a per-class report
    and the confusion matrix (binary: ROC AUC, precision and recall of the positive
    class), labels compared as integer codes into the contract's classes."""
    inputs = features.drop(columns=[contract.target])
    truth = features[contract.target]
    if not contract.classification:
        return regression_metrics(truth.astype(float), model.predict(inputs))
    labels = list(contract.classes)
    codes = pd.Categorical(truth.astype(str), categories=labels).codes
    probabilities = class_probabilities(model, inputs, contract)
    return classification_metrics(
        codes,
        probabilities.argmax(axis=1),
        labels,
        probabilities=probabilities,
        positive=contract.positive,
    )


def eval_metrics(
    model: Any, eval_features: pd.DataFrame, data_contract: dict[str, Any]
) -> dict[str, Any]:
    """The eval split's metrics alone: what the verdict reads, so the test split never
    chooses what is served."""
    return split_metrics(
        model, eval_features, DataContract.from_parameters(data_contract)
    )


def compare_with_promoted(
    model_versions: ModelVersions,
    eval_metrics: dict[str, Any],
    eval_split: pd.DataFrame,
    data_contract: dict[str, Any],
    promotion: dict[str, Any],
) -> Comparison:
    """This model's eval metrics against the newest promoted version's, its own
    transformers applied to this run's eval split, for `no_worse_than_promoted`."""
    contract = DataContract.from_parameters(data_contract)

    def score(transformers: Any, model: Any) -> dict[str, Any]:
        features = build_features(eval_split, transformers)
        features[contract.target] = eval_split[contract.target]
        return split_metrics(model, features, contract)

    return model_versions.compare(promotion, score, eval_metrics, contract=contract)


def plot_evaluation(
    metrics: dict[str, Any],
    model: Any,
    eval_features: pd.DataFrame,
    test_features: pd.DataFrame,
    data_contract: dict[str, Any],
) -> Figure:
    """A confusion matrix per split (classification), or predicted against actual and the
    residuals per split (regression)."""
    contract = DataContract.from_parameters(data_contract)
    predictions = None
    if not contract.classification:
        target = contract.target
        predictions = {
            name: (split[target], model.predict(split.drop(columns=[target])))
            for name, split in zip(SPLITS, (eval_features, test_features))
        }
    return evaluation_figure(metrics, predictions, target=contract.target)
