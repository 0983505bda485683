"""Who may call the API, and `kedro serve` where there is nothing to serve, over real HTTP.

The key is read from the environment variable that `serving.api_key_env` names; it is
never written to the repository and never logged.
"""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest

from tests.api.test_serving_e2e import ROW, serve
from tests.support import copy_project, kedro

pytestmark = pytest.mark.e2e

KEY = "correct-horse-battery-staple"


def _with_api_key(project: Path) -> Path:
    settings = project / "conf/base/parameters_api.yml"
    settings.write_text(settings.read_text().replace("api_key_env: null",
                                                     "api_key_env: PENGUIN_API_KEY"))
    return project


def test_with_an_api_key_only_callers_that_send_it_are_answered(trained_project, tmp_path):
    project = _with_api_key(copy_project(trained_project, tmp_path))
    server = serve(project, tmp_path / "server.log", PENGUIN_API_KEY=KEY)
    url = server.base_url
    try:
        open_routes = [httpx.get(f"{url}/health"), httpx.get(f"{url}/ready")]
        without = [httpx.post(f"{url}/predict", json=ROW), httpx.get(f"{url}/model"),
                   httpx.post(f"{url}/predict/batch", json={"rows": [ROW]})]
        wrong = httpx.post(f"{url}/predict", json=ROW, headers={"X-API-Key": KEY + "x"})
        right = httpx.post(f"{url}/predict", json=ROW, headers={"X-API-Key": KEY})
        schema = httpx.get(f"{url}/openapi.json").json()
    finally:
        server.stop(signal.SIGTERM)
    assert [r.status_code for r in open_routes] == [200, 200]
    for response in [*without, wrong]:
        assert response.status_code == 401
        assert response.json() == {"message": "missing or wrong API key: send it in the "
                                              "X-API-Key header"}
    assert right.status_code == 200 and right.json()["prediction"]
    assert schema["components"]["securitySchemes"]["APIKeyHeader"]["name"] == "X-API-Key"
    assert KEY not in server.log()


def test_an_api_key_variable_that_is_not_set_stops_kedro_serve_in_one_line(
    trained_project, tmp_path
):
    project = _with_api_key(copy_project(trained_project, tmp_path))
    result = kedro(["serve"], project, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: `serving.api_key_env` names PENGUIN_API_KEY, which is not set: export the key "
        "in that environment variable, or set `serving.api_key_env: null`")


@pytest.mark.parametrize("with_key", [False, True], ids=["no key: warned", "key: quiet"])
def test_serving_beyond_loopback_without_a_key_prints_one_warning(trained_project, tmp_path,
                                                                   with_key):
    project = copy_project(trained_project, tmp_path)
    extra = {"PENGUIN_API_KEY": KEY} if with_key else {}
    if with_key:
        _with_api_key(project)
    server = serve(project, tmp_path / "server.log", "--host", "0.0.0.0", **extra)
    server.stop(signal.SIGTERM)
    warnings = [line for line in server.log().splitlines() if "without an API key" in line]
    assert warnings == ([] if with_key else [
        ("Warning: serving on 0.0.0.0 without an API key: anyone who can reach this machine "
        "can call the API; set `serving.api_key_env` in conf/base/parameters_api.yml")])


def test_a_kedro_project_without_a_serving_stage_gets_one_line(tmp_path):
    """A plain Kedro project (Kedro's own template, no layout manifest) in the same
    environment: `kedro serve` is listed there too, and says what is missing."""
    made = kedro(["new", "--name", "Plain Kedro", "--tools", "none", "--example", "n"],
                 tmp_path, timeout=120)
    assert made.returncode == 0, made.stderr[-2000:]
    result = kedro(["serve"], tmp_path / "plain-kedro", timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        ("Error: no serving app: src/plain_kedro/pipelines/05_api/app.py does not exist (the "
        "serving stage `05_api` comes from the default layout (this project's pyproject.toml "
        "has no [tool.kedro_layout]))")]


def test_a_manifest_without_a_serving_role_gets_one_line(generated_project, tmp_path):
    project = copy_project(generated_project, tmp_path)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('role = "serving"', 'role = "other"'))
    result = kedro(["serve"], project, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        ("Error: no stage has the role `serving` in [tool.kedro_layout] in pyproject.toml: "
        "`kedro serve` serves that stage's app.py")]
