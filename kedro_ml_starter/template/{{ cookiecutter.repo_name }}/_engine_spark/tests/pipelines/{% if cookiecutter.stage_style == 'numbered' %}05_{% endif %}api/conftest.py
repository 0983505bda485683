"""The HTTP app's test projects on Spark: a throw-away copy of this project's configuration,
with empty models/ (`project`) or the session's fitted transformers and model saved through
the project's catalog (`trained`), and a TestClient on the trained one (`client`).

`trained` and `client` come once per serving runtime: `onnx` (the default, the exported
graph, no JVM) and `spark` (the Spark ML pipeline), so every app test covers both. Saving
and loading cost seconds on Spark, so each is shared by the whole run; the tests only
read from them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers import PROJECT_ROOT, save_fitted, stage_module

app_module = stage_module("serving", "app")


@pytest.fixture(scope="session", autouse=True)
def _no_telemetry():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KEDRO_DISABLE_TELEMETRY", "1")
        patch.setenv("DO_NOT_TRACK", "1")
        yield


def _project(root: Path) -> Path:
    """This project's conf/ and pyproject.toml around an empty models/ folder.

    Kedro wants a src/ folder to exist; the package itself is the one under test.
    """
    shutil.copytree(PROJECT_ROOT / "conf", root / "conf")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", root / "pyproject.toml")
    for folder in ("src", "models", "data/05_reporting"):
        (root / folder).mkdir(parents=True)
    return root


@pytest.fixture(scope="session", params=["onnx", "spark"])
def trained(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    fitted: dict,
) -> Path:
    """The project after stages 02-04, set to serve with one runtime."""
    project = _project(tmp_path_factory.mktemp(f"trained-{request.param}"))
    settings = project / "conf" / "base" / "parameters_api.yml"
    text = settings.read_text().replace("runtime: onnx", f"runtime: {request.param}")
    settings.write_text(text)
    return save_fitted(project, fitted, runtime=request.param)


@pytest.fixture(scope="session")
def client(trained: Path):
    with TestClient(app_module.create_app(trained)) as test_client:
        yield test_client


@pytest.fixture
def project(tmp_path: Path, spark) -> Path:
    """An untrained copy (the Spark session is up, as `kedro serve` would start it)."""
    return _project(tmp_path)
