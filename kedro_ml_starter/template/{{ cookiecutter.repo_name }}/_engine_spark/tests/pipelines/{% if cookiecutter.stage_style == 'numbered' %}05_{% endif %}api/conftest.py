"""The HTTP app's test projects on Spark: a throw-away copy of this project's configuration,
with empty models/ (`project`) or the session's fitted transformers and model saved through
the project's catalog as Spark ML folders (`trained`), and a TestClient on the trained one
(`client`). Saving and loading cost seconds on Spark, so the trained copy and its client
are shared by the whole run; the tests only read from them."""

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


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory, fitted: dict) -> Path:
    """The project after stages 02-04: artifacts saved through the project's catalog."""
    project = _project(tmp_path_factory.mktemp("trained"))
    return save_fitted(project, fitted)


@pytest.fixture(scope="session")
def client(trained: Path):
    with TestClient(app_module.create_app(trained)) as test_client:
        yield test_client


@pytest.fixture
def project(tmp_path: Path, spark) -> Path:
    """An untrained copy (the Spark session is up, as `kedro serve` would start it)."""
    return _project(tmp_path)
