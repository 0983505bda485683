"""The model follows the task: a classifier cannot learn a regression target, nor a regressor
classes. When `use-data` changes the task, an estimator made for the other task is replaced
by the starter's default for the new one and the project's engine (fast, and converted to
ONNX for `kedro serve`): a scikit-learn estimator in a pandas project, a Spark MLlib one in
a Spark project. Any other estimator (one that suits the task, or one that cannot be built
at all, which `kedro run` reports) is the user's and stays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kedro_ml_starter.runtime import EstimatorError, make_estimator
from kedro_ml_starter.runtime.spark_estimators import spark_estimator_task

PARAMETER = ("model_training", "estimator")
DEFAULTS = {
    "pandas": {
        "classification": {"type": "sklearn.linear_model.LogisticRegression",
                           "arguments": {"C": 1.0, "max_iter": 1000}},
        "regression": {"type": "sklearn.linear_model.Ridge", "arguments": {"alpha": 1.0}},
    },
    # As the starter's Spark template writes them (parameters_model_training.yml).
    "spark": {
        "classification": {"type": "pyspark.ml.classification.LogisticRegression",
                           "arguments": {"regParam": 0.0001, "maxIter": 200, "tol": 1.0e-7}},
        "regression": {"type": "pyspark.ml.regression.LinearRegression",
                       "arguments": {"regParam": 0.0001, "maxIter": 200}},
    },
}
LIBRARY = {"pandas": "scikit-learn", "spark": "Spark MLlib"}


@dataclass(frozen=True)
class EstimatorSwap:
    """The estimator the parameters name, and the one the new task needs instead."""

    old: str
    new: Mapping[str, Any]
    task: str
    engine: str = "pandas"

    def note(self) -> str:
        short = self.old.rpartition(".")[2]
        return (f"{short} cannot learn a {self.task} target: `model_training.estimator` "
                f"becomes {self.new['type']} (any {LIBRARY[self.engine]} estimator for "
                f"{self.task} works there)")


def swap_for(spec: Any, task: str, engine: str = "pandas") -> EstimatorSwap | None:
    """The swap `spec` needs for `task` in a project of `engine` ("pandas" or "spark"), or
    None when it suits the task (or is not ours to judge: it cannot be built for either
    task on that engine)."""
    if not isinstance(spec, Mapping):
        return None
    fits = _spark_task if engine == "spark" else _sklearn_task
    other = "regression" if task == "classification" else "classification"
    if fits(spec, task) or not fits(spec, other):
        return None
    return EstimatorSwap(str(spec.get("type")), DEFAULTS[engine][task], task, engine)


def _sklearn_task(spec: Mapping[str, Any], task: str) -> bool:
    try:
        make_estimator(spec, task)
    except EstimatorError:
        return False
    return True


def _spark_task(spec: Mapping[str, Any], task: str) -> bool:
    """Read from the import path: building a Spark MLlib estimator needs a JVM."""
    return spark_estimator_task(spec.get("type")) == task
