"""Session fixtures for MLflow tracking: a tracked project after two training runs.

Creating a project's MLflow store costs seconds (its database migrations), and so does
each tracked run: the tests share these projects and copy them before changing anything.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import copy_project, kedro

# In-process MLflow (the tests read the stores) sends no telemetry either.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

SECOND_C = "0.05"


@pytest.fixture(scope="session")
def tracked_runs(tracked_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the tracked project after `kedro run`, `kedro run` with another C, and
    batch scoring (`--pipelines 05_api`, which records nothing): two MLflow runs."""
    project = copy_project(tracked_project, tmp_path_factory.mktemp("tracked-runs"))
    kedro(["run"], project, check=True)
    kedro(["run", "--params", f"model_training.estimator.arguments.C={SECOND_C}"], project,
          check=True)
    kedro(["run", "--pipelines", "05_api"], project, check=True)
    return project
