"""The docs pages of the serving runtime (`runtime/serving/docs.py`): every file they load is
the app's own, behind a proxy's prefix too; `serving.docs: false` leaves them out; without
the package that holds Swagger UI and ReDoc they say what to install.

The pages in a real browser, on a generated project: tests/api/test_docs_pages.py.
"""

from __future__ import annotations

import logging
import signal
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kedro_ml_starter.runtime.serving import docs
from kedro_ml_starter.runtime.serving.http import install_error_handlers
from tests import browser
from tests.api.server_process import free_port, start_server
from tests.runtime import tiny_project
from tests.support import PYTHON

REPO = Path(__file__).resolve().parents[2]
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png",
                 ".svg": "image/svg+xml"}


def _app() -> FastAPI:
    """An app built as `create_app` builds it: the API's routes, then the docs."""
    app = FastAPI(title="Tiny", docs_url=None, redoc_url=None)
    install_error_handlers(app)

    @app.post("/predict")
    async def predict() -> dict:
        return {}

    docs.add_docs(app)
    return app


def _page(client: TestClient, path: str) -> browser.Page:
    answer = client.get(path)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    return browser.Page(str(answer.url), answer.text, ())


@pytest.mark.parametrize(("path", "expected"), [
    ("/docs", {"/docs/static/swagger/swagger-ui-bundle.js",
               "/docs/static/swagger/swagger-ui.css", "/docs/static/fastapi/favicon.png"}),
    ("/redoc", {"/docs/static/redoc/redoc.standalone.js", "/docs/static/fastapi/favicon.png"}),
])
def test_every_file_a_page_loads_is_served_by_the_app(path, expected):
    client = TestClient(_app())
    page = _page(client, path)

    assets = page.assets()
    assert {asset.removeprefix(page.origin) for asset in assets} == expected
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        assert answer.headers["content-type"].startswith(CONTENT_TYPES[Path(asset).suffix])
    assert "//" not in page.dom.replace(page.origin, "")  # no absolute address, no CDN


def test_redocs_logo_is_served_where_its_script_asks_for_it():
    """The packaged ReDoc asks for its logo at the page's path + "/logo-mini.svg" (the
    upstream bundle would ask a CDN)."""
    client = TestClient(_app())
    script = client.get("/docs/static/redoc/redoc.standalone.js").text

    assert 'window.location.pathname+"/logo-mini.svg"' in script
    assert "cdn.redoc.ly" not in script
    logo = client.get("/redoc/logo-mini.svg")
    assert logo.status_code == 200 and logo.headers["content-type"] == "image/svg+xml"


def test_behind_a_proxys_prefix_the_pages_ask_for_their_files_under_it():
    client = TestClient(_app(), root_path="/penguins")
    for path in ("/docs", "/redoc"):
        page = _page(client, path)
        assert page.assets() and all(asset.startswith(f"{page.origin}/penguins/docs/static/")
                                     for asset in page.assets())
        assert "/penguins/openapi.json" in page.dom


def test_the_docs_routes_come_after_the_apis():
    """A request to the API matches its route before the router reaches a docs route."""
    paths = [getattr(route, "path", "") for route in _app().routes]
    assert paths.index("/predict") < min(paths.index("/docs"), paths.index("/redoc"))
    assert {"/docs/oauth2-redirect"} & set(paths) == set()


def test_without_the_package_the_pages_say_what_to_install(monkeypatch, caplog):
    monkeypatch.setattr(docs, "ASSETS_PACKAGE", "no_such_docs_package")
    with caplog.at_level(logging.WARNING, logger=docs.__name__):
        client = TestClient(_app())
    message = ("the docs pages need the files of the 'fastapi-standalone-docs>=0.3,<0.4' "
               "package: run `pip install -r requirements.txt`, then restart the server")

    for path in ("/docs", "/redoc"):
        answer = client.get(path)
        assert (answer.status_code, answer.json()) == (503, {"message": message})
    assert client.post("/predict").status_code == 200
    assert [r.getMessage() for r in caplog.records] == [f"No /docs page: {message}"]


def test_the_package_is_found_without_running_its_code():
    import subprocess

    code = ("import sys; from kedro_ml_starter.runtime.serving import docs; "
            "assert docs.assets_folder() is not None; "
            "print('fastapi_standalone_docs' in sys.modules)")
    result = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(("setting", "expected"), [
    ("docs: true", {"/docs": 200, "/redoc": 200, "/docs/static/swagger/swagger-ui.css": 200}),
    ("docs: false", {"/docs": 404, "/redoc": 404, "/docs/static/swagger/swagger-ui.css": 404}),
])
def test_serving_docs_turns_the_pages_on_and_off(tmp_path, setting, expected):
    project = tiny_project.build(tmp_path / "tiny", trained=False, serving=setting)
    port = free_port()
    server = start_server([PYTHON, "-m", "uvicorn", "tests.runtime.tiny_project:create_app",
                           "--factory", "--host", "127.0.0.1", "--port", str(port)],
                          REPO, tmp_path / "server.log", port, TINY_PROJECT=str(project),
                          KEDRO_LOGGING_CONFIG=str(project / "conf/logging.yml"))
    try:
        statuses = {path: httpx.get(server.base_url + path).status_code for path in expected}
        schema = httpx.get(f"{server.base_url}/openapi.json")
    finally:
        server.stop(signal.SIGTERM)
    assert statuses == expected
    assert schema.status_code == 200  # clients and code generators still read the schema


def test_without_chromium_the_browser_tests_fail_saying_how_to_install_it(monkeypatch,
                                                                         tmp_path):
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    with pytest.raises(AssertionError, match=r"`apt-get install chromium`"):
        browser.load("http://127.0.0.1:1/docs", tmp_path)
