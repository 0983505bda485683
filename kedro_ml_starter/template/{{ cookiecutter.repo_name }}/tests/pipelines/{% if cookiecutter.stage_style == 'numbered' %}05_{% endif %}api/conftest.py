"""The serving stage's fixtures on pandas; the tests beside it hold for either engine.

- `new_rows`: the catalog's `new_rows`, as the batch pipeline reads them.
- `predict`: batch predictions for raw rows (a pandas table), made as stage 05 makes
  them: validated against the data contract, then scored by scikit-learn through
  `predict_frame`.
- `project`: a throw-away copy of this project's configuration with empty models/;
  `trained`: the same with a model trained by the stages' own functions and saved through
  the project's catalog; `client`: a TestClient on `trained`.

`trained` and `client` come once per serving runtime: `onnx` (the default, the exported
graph) and `sklearn` (the pickled transformers and model), so every app test covers both.
They are made once per test module (tests only send requests); `project` once per test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.python_package }}.utils.scoring import (
    predict_frame,
)

from tests.helpers import (
    contract,
    copy_configuration,
    load,
    save_fitted,
    stage_module,
)

app_module = stage_module("serving", "app")


@pytest.fixture
def new_rows() -> pd.DataFrame:
    return load("new_rows")


@pytest.fixture
def predict(fitted: dict) -> Callable[[pd.DataFrame], pd.DataFrame]:
    data_contract = contract()

    def predict(table: pd.DataFrame) -> pd.DataFrame:
        rows = data_contract.validate(table, new_rows=True)
        transformers, model = fitted["transformers"], fitted["model"]
        return predict_frame(rows, transformers, model, data_contract)

    return predict


@pytest.fixture(scope="module")
def quiet() -> Iterator[None]:
    """No telemetry from the Kedro sessions the app opens."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEDRO_DISABLE_TELEMETRY", "1")
        patch.setenv("DO_NOT_TRACK", "1")
        patch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
        yield


@pytest.fixture
def project(tmp_path: Path, quiet: None) -> Path:
    return copy_configuration(tmp_path)


@pytest.fixture(scope="module", params=["onnx", "sklearn"])
def trained(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    quiet: None,
    fitted: dict,
) -> Path:
    """A project after stages 02-04, set to serve with one runtime."""
    project = copy_configuration(tmp_path_factory.mktemp(request.param))
    return save_fitted(project, fitted, runtime=request.param)


@pytest.fixture(scope="module")
def client(trained: Path):
    with TestClient(app_module.create_app(trained)) as test_client:
        yield test_client
