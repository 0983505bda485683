"""The model follows the task: a classifier cannot learn a regression target, nor a regressor
classes. When `use-data` changes the task, an estimator made for the other task is replaced
by the starter's default for the new one (fast, and converted to ONNX for `kedro serve`);
any other estimator (one that suits the task, or one that cannot be built at all, which
`kedro run` reports) is the user's and stays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kedro_ml_starter.runtime import EstimatorError, make_estimator

PARAMETER = ("model_training", "estimator")
DEFAULTS = {
    "classification": {"type": "sklearn.linear_model.LogisticRegression",
                       "arguments": {"C": 1.0, "max_iter": 1000}},
    "regression": {"type": "sklearn.linear_model.Ridge", "arguments": {"alpha": 1.0}},
}


@dataclass(frozen=True)
class EstimatorSwap:
    """The estimator the parameters name, and the one the new task needs instead."""

    old: str
    new: Mapping[str, Any]
    task: str

    def note(self) -> str:
        short = self.old.rpartition(".")[2]
        return (f"{short} cannot learn a {self.task} target: `model_training.estimator` "
                f"becomes {self.new['type']} (any scikit-learn estimator for {self.task} "
                "works there)")


def swap_for(spec: Any, task: str) -> EstimatorSwap | None:
    """The swap `spec` needs for `task`, or None when it suits the task (or is not ours to
    judge: it cannot be built for either task)."""
    if not isinstance(spec, Mapping):
        return None
    other = "regression" if task == "classification" else "classification"
    try:
        make_estimator(spec, task)
        return None
    except EstimatorError:
        try:
            make_estimator(spec, other)
        except EstimatorError:
            return None
    return EstimatorSwap(str(spec.get("type")), DEFAULTS[task], task)
