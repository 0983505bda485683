"""The serving stage's fixtures on Spark; the tests beside it hold for either engine.

- `new_rows`: the catalog's `new_rows`, as the batch pipeline reads them (from a CSV:
  every column text).
- `predict`: batch predictions for raw rows (a pandas table), made as stage 05 makes
  them: validated against the data contract, then scored by Spark ML through
  `score_frame`.
- `project`: a throw-away copy of this project's configuration with empty models/;
  `trained`: the same with the session's fitted transformers and model saved through the
  project's catalog; `client`: a TestClient on `trained`.

`trained` and `client` come once per serving runtime: `onnx` (the default, the exported
graph, no JVM) and `spark` (the Spark ML pipeline), so every app test covers both. Saving
and loading cost seconds on Spark, so each is shared by the whole run; the tests only
read from them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.python_package }}.utils.scoring import (
    score_frame,
)

from tests.helpers import (
    contract,
    copy_configuration,
    parameters,
    save_fitted,
    stage_module,
)

app_module = stage_module("serving", "app")


@pytest.fixture(scope="session", autouse=True)
def _no_telemetry():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEDRO_DISABLE_TELEMETRY", "1")
        patch.setenv("DO_NOT_TRACK", "1")
        yield


@pytest.fixture(scope="session")
def new_rows(catalog: Any) -> Any:
    return catalog.load("new_rows")


@pytest.fixture(scope="session")
def predict(engine: Any, fitted: dict) -> Callable[[pd.DataFrame], pd.DataFrame]:
    data_contract, data = contract(), parameters("data_contract")
    validate = stage_module("serving").validate_new_rows
    columns = list(data_contract.output_columns)

    def predict(table: pd.DataFrame) -> pd.DataFrame:
        rows = validate(engine.frame(table), data)
        transformers, model = fitted["transformers"], fitted["model"]
        scored = score_frame(rows, transformers, model, data_contract)
        return scored.select(*columns).toPandas().set_axis(table.index)

    return predict


@pytest.fixture
def project(tmp_path: Path, spark: Any) -> Path:
    """An untrained copy (the Spark session is up, as `kedro serve` would start it)."""
    return copy_configuration(tmp_path)


@pytest.fixture(scope="session", params=["onnx", "spark"])
def trained(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    fitted: dict,
) -> Path:
    """The project after stages 02-04, set to serve with one runtime."""
    project = copy_configuration(tmp_path_factory.mktemp(f"trained-{request.param}"))
    return save_fitted(project, fitted, runtime=request.param)


@pytest.fixture(scope="session")
def client(trained: Path):
    with TestClient(app_module.create_app(trained)) as test_client:
        yield test_client
