"""The HTTP app's test projects: a throw-away copy of this project's configuration, with
empty models/ (`project`) or a model trained by the stages' own functions and saved through
the project's catalog (`trained`), and a TestClient on the trained one (`client`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers import PROJECT_ROOT, save_fitted, stage_module

app_module = stage_module("serving", "app")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This project's conf/ and pyproject.toml around an empty models/ folder.

    Kedro wants a src/ folder to exist; the package itself is the one under test.
    """
    monkeypatch.setenv("KEDRO_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
    shutil.copytree(PROJECT_ROOT / "conf", tmp_path / "conf")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for folder in ("src", "models", "data/05_reporting"):  # the code is imported from here
        (tmp_path / folder).mkdir(parents=True)
    return tmp_path


@pytest.fixture
def trained(project: Path, fitted: dict) -> Path:
    """The project after stages 02-04: artifacts saved through the project's catalog."""
    return save_fitted(project, fitted)


@pytest.fixture
def client(trained: Path):
    with TestClient(app_module.create_app(trained)) as test_client:
        yield test_client
