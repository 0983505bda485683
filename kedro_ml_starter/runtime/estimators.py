"""The model of a project: any scikit-learn estimator, named in its parameters.

    model_training:
      estimator:
        type: sklearn.ensemble.HistGradientBoostingClassifier   # an import path
        arguments: {max_iter: 200}                             # its keyword arguments

`make_estimator` imports the class, checks that it is an estimator fit for the contract's
task (a classifier for classification, a regressor for regression) and builds it; every
mistake is an `EstimatorError`, one line naming the parameter and the fix.
`DEFAULT_ESTIMATORS` is what a project starts with: fast, accurate on tabular data of
this size, and converted by skl2onnx, so `kedro serve` scores it as an ONNX graph.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from kedro_ml_starter.errors import UserError

PARAMETER = "model_training.estimator"
PARAMETERS_FILE = "conf/base/parameters_model_training.yml"
DEFAULT_ESTIMATORS = {
    "classification": "sklearn.linear_model.LogisticRegression",
    "regression": "sklearn.linear_model.Ridge",
}


class EstimatorError(UserError):
    """Raised when the configured estimator cannot be imported, built or used for the task."""


def make_estimator(spec: Mapping[str, Any], task: str) -> Any:
    """An unfitted estimator from `{"type": "module.Class", "arguments": {...}}`."""
    return build_estimator(spec, task, "an estimator's import path",
                           DEFAULT_ESTIMATORS[task], _import, _check_task)


def build_estimator(spec: Mapping[str, Any], task: str, what: str, example: str,
                    load: Callable[[str, str], type],
                    check_task: Callable[[Any, str, str], None]) -> Any:
    """The steps both engines share: check the keys, `load` the class named by `type`,
    build it with `arguments`, and `check_task` it; `what` and `example` word the error a
    missing `type` gets."""
    where = f"`{PARAMETER}` in {PARAMETERS_FILE}"
    if not isinstance(spec, Mapping) or not isinstance(spec.get("type"), str):
        raise EstimatorError(f"{where} needs `type:`, {what}, e.g. {example}")
    unknown = sorted(set(spec) - {"type", "arguments"})
    if unknown:
        raise EstimatorError(f"{where} has unknown key {unknown[0]!r}; the keys are type and "
                             "arguments (the estimator's keyword arguments)")
    arguments = spec.get("arguments") or {}
    if not isinstance(arguments, Mapping):
        raise EstimatorError(f"`{PARAMETER}.arguments` in {PARAMETERS_FILE} must map argument "
                             "names to values")
    kind = load(spec["type"], where)
    try:
        estimator = kind(**dict(arguments))
    except TypeError as error:
        raise EstimatorError(f"{spec['type']} does not take these arguments ({error}); fix "
                             f"`{PARAMETER}.arguments` in {PARAMETERS_FILE}") from None
    check_task(estimator, spec["type"], task)
    return estimator


def import_class(path: str, where: str, example: str) -> type:
    """The class an import path names, or an `EstimatorError` suggesting `example`."""
    module, _, name = path.rpartition(".")
    try:
        kind = getattr(importlib.import_module(module), name) if module else None
    except (ImportError, AttributeError, ValueError):
        kind = None
    if not isinstance(kind, type):
        raise EstimatorError(f"{where} names {path!r}, which cannot be imported: write the "
                             f"class's import path, e.g. {example}")
    return kind


def _import(path: str, where: str) -> type:
    kind = import_class(path, where, DEFAULT_ESTIMATORS["classification"])
    if not (hasattr(kind, "fit") and hasattr(kind, "predict")):
        raise EstimatorError(f"{path} is not an estimator (it has no fit and predict): {where} "
                             "must name a scikit-learn estimator")
    return kind


def _check_task(estimator: Any, path: str, task: str) -> None:
    # scikit-learn loads with the first estimator made, not when Kedro imports the stages
    from sklearn.base import is_classifier, is_regressor

    wrong = (task == "classification" and not is_classifier(estimator)) or (
        task == "regression" and not is_regressor(estimator))
    if wrong:
        other = "classifier" if task == "classification" else "regressor"
        raise EstimatorError(
            f"{path} is not a {other}, and the data contract's task is {task}: choose a "
            f"{other} (e.g. {DEFAULT_ESTIMATORS[task]}) in {PARAMETERS_FILE}, or change "
            "`data_contract.task`")
    if task == "classification" and not hasattr(estimator, "predict_proba"):
        raise EstimatorError(
            f"{path} gives no class probabilities (predict_proba), which metrics and the API "
            f"report: choose a classifier that does (e.g. {DEFAULT_ESTIMATORS[task]}), or "
            "for SVC set `probability: true` in its arguments")
