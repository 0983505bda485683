"""The model of a Spark project: any Spark MLlib estimator, named in its parameters.

    model_training:
      estimator:
        type: pyspark.ml.classification.RandomForestClassifier   # an import path
        arguments: {numTrees: 50, seed: 1}                      # its keyword arguments

The Spark twin of `estimators.make_estimator`, with the same keys and the same one-line
`EstimatorError`s: the class must import, take the arguments, and suit the contract's task
(a probabilistic classifier for classification, since metrics and the API report class
probabilities: LinearSVC is refused; a regressor for regression).
`SPARK_DEFAULT_ESTIMATORS` is what a Spark project starts with; both convert to ONNX.
`spark_estimator_task` tells the task of an estimator's import path without a JVM (building
a Spark MLlib estimator needs a running session; `kedro layout use-data` has none).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from kedro_ml_starter.runtime.estimators import (
    PARAMETERS_FILE,
    EstimatorError,
    build_estimator,
    import_class,
)

SPARK_DEFAULT_ESTIMATORS = {
    "classification": "pyspark.ml.classification.LogisticRegression",
    "regression": "pyspark.ml.regression.LinearRegression",
}


def make_spark_estimator(spec: Mapping[str, Any], task: str) -> Any:
    """An unfitted Spark MLlib estimator from `{"type": "module.Class", "arguments": {...}}`."""
    example = SPARK_DEFAULT_ESTIMATORS[task]
    return build_estimator(spec, task, "a Spark MLlib estimator's import path", example,
                           lambda path, where: import_class(path, where, example), _check_task)


def spark_estimator_task(path: Any) -> str | None:
    """"classification" for a Spark MLlib classifier's import path, "regression" for a
    regressor's, None for anything else (a scikit-learn path, a typo). Reads the class, or
    its module when pyspark is not installed; starts no JVM."""
    if not isinstance(path, str):
        return None
    module, _, name = path.rpartition(".")
    try:
        # pyspark is optional here: use-data asks this of a Spark project's estimator
        # from a plugin install that may not have it
        from pyspark.ml.classification import Classifier
        from pyspark.ml.regression import Regressor
    except ImportError:
        kinds = {"pyspark.ml.classification": "classification",
                 "pyspark.ml.regression": "regression"}
        return kinds.get(module) if name[:1].isupper() else None
    try:
        kind = getattr(importlib.import_module(module), name) if module else None
    except (ImportError, AttributeError, ValueError):
        return None
    if isinstance(kind, type) and issubclass(kind, Classifier):
        return "classification"
    if isinstance(kind, type) and issubclass(kind, Regressor):
        return "regression"
    return None


def _check_task(estimator: Any, path: str, task: str) -> None:
    # pyspark loads when a Spark stage builds its estimator, not when the runtime is imported
    from pyspark.ml.classification import Classifier, ProbabilisticClassifier
    from pyspark.ml.regression import Regressor

    wanted = "classifier" if task == "classification" else "regressor"
    fits = isinstance(estimator, Classifier if task == "classification" else Regressor)
    if not fits:
        raise EstimatorError(
            f"{path} is not a Spark MLlib {wanted}, and the data contract's task is {task}: "
            f"choose a {wanted} (e.g. {SPARK_DEFAULT_ESTIMATORS[task]}) in {PARAMETERS_FILE}, "
            "or change `data_contract.task`")
    if task == "classification" and not isinstance(estimator, ProbabilisticClassifier):
        raise EstimatorError(
            f"{path} gives no class probabilities, which metrics and the API report: choose a "
            f"probabilistic classifier (e.g. {SPARK_DEFAULT_ESTIMATORS[task]} or "
            "pyspark.ml.classification.RandomForestClassifier)")
