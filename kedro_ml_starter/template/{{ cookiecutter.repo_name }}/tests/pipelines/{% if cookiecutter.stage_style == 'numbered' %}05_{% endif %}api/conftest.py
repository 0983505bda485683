"""The serving stage's fixtures on pandas; the tests beside it hold for either engine.

- `new_rows`: the shipped new rows, as the batch pipeline reads them.
- `predict`: batch predictions for raw rows (a pandas table), made as stage 05 makes
  them: validated, then scored by scikit-learn through `predict_frame`.
- `project`: a throw-away copy of this project's configuration with empty models/;
  `trained`: the same with a model trained by the stages' own functions and saved through
  the project's catalog; `client`: a TestClient on `trained`.

`trained` and `client` come once per serving runtime: `onnx` (the default, the exported
graph) and `sklearn` (the pickled transformers and model), so every app test covers both.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.python_package }}.utils.scoring import (
    predict_frame,
)
from {{ cookiecutter.python_package }}.utils.validation import (
    NEW_ROWS_SCHEMA,
)

from tests.helpers import (
    NEW_CSV,
    copy_configuration,
    read_raw_csv,
    save_fitted,
    stage_module,
)

app_module = stage_module("serving", "app")


@pytest.fixture
def new_rows() -> pd.DataFrame:
    return read_raw_csv(NEW_CSV)


@pytest.fixture
def predict(fitted: dict) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def predict(table: pd.DataFrame) -> pd.DataFrame:
        rows = NEW_ROWS_SCHEMA.validate(table)
        return predict_frame(rows, fitted["transformers"], fitted["model"])

    return predict


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KEDRO_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
    return copy_configuration(tmp_path)


@pytest.fixture(params=["onnx", "sklearn"])
def trained(request: pytest.FixtureRequest, project: Path, fitted: dict) -> Path:
    """The project after stages 02-04, set to serve with one runtime."""
    return save_fitted(project, fitted, runtime=request.param)


@pytest.fixture
def client(trained: Path):
    with TestClient(app_module.create_app(trained)) as test_client:
        yield test_client
