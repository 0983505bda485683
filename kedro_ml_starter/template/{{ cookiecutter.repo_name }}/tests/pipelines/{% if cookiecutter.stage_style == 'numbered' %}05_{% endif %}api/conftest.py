"""The HTTP app's test projects: a throw-away copy of this project's configuration, with
empty models/ (`project`) or a model trained by the stages' own functions and saved through
the project's catalog (`trained`), and a TestClient on the trained one (`client`).

`trained` and `client` come once per serving runtime: `onnx` (the default, the exported
graph) and `sklearn` (the pickled transformers and model), so every app test covers both."""

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
    for folder in ("src", "models", "data/05_reporting"):
        (tmp_path / folder).mkdir(parents=True)
    return tmp_path


@pytest.fixture(params=["onnx", "sklearn"])
def trained(request: pytest.FixtureRequest, project: Path, fitted: dict) -> Path:
    """The project after stages 02-04, set to serve with one runtime."""
    settings = project / "conf" / "base" / "parameters_api.yml"
    text = settings.read_text().replace("runtime: onnx", f"runtime: {request.param}")
    settings.write_text(text)
    return save_fitted(project, fitted, runtime=request.param)


@pytest.fixture
def client(trained: Path):
    with TestClient(app_module.create_app(trained)) as test_client:
        yield test_client
