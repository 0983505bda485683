"""The API's docs pages in a real browser: headless Chromium opens `kedro serve`'s `/docs`
and `/redoc` on a trained generated project, on a machine where no host but 127.0.0.1
resolves (tests/browser.py), as behind a firewall.

The pages must show the API's operations, and everything they load (scripts, styles,
images, the icon, the OpenAPI document) must come from the server itself, answered 200:
a page that needed a CDN would be blank here.
"""

from __future__ import annotations

import re
import signal
from pathlib import Path

import httpx
import pytest

from tests import browser
from tests.api.test_serving_access import KEY, _with_api_key
from tests.api.test_serving_e2e import ROW, serve
from tests.support import copy_project

pytestmark = pytest.mark.e2e

OPERATIONS = {("POST", "/predict"), ("POST", "/predict/batch"), ("GET", "/model")}
# Swagger UI draws each operation as its method, then its path (in `data-path`).
SWAGGER_OPERATION = re.compile(
    r'class="opblock-summary-method">(\w+)</span>.*?data-path="([^"]+)"', re.DOTALL)
ADDRESS = re.compile(r'(?:href|src)="(https?://[^"]+)"')
# The only address off the server on either page: ReDoc's credit, a link that loads nothing.
OFF_SITE_LINKS = {"/docs": [], "/redoc": ["https://redocly.com/redoc/"]}


@pytest.fixture(scope="module")
def server(trained_project: Path, tmp_path_factory: pytest.TempPathFactory):
    project = copy_project(trained_project, tmp_path_factory.mktemp("docs-pages"))
    process = serve(project, project.parent / "server.log")
    yield process
    process.stop(signal.SIGTERM)


@pytest.fixture(scope="module")
def keyed_server(trained_project: Path, tmp_path_factory: pytest.TempPathFactory):
    """The same project served with an API key (`serving.api_key_env`)."""
    project = _with_api_key(copy_project(trained_project, tmp_path_factory.mktemp("keyed")))
    process = serve(project, project.parent / "server.log", PENGUIN_API_KEY=KEY)
    yield process
    process.stop(signal.SIGTERM)


def test_swagger_ui_lists_the_apis_operations(server, tmp_path):
    page = browser.load(f"{server.base_url}/docs", tmp_path)

    assert OPERATIONS <= set(SWAGGER_OPERATION.findall(page.dom)), page.dom[-3000:]
    assert "Penguin Lab prediction API" in page.text()


def test_redoc_lists_the_apis_operations(server, tmp_path):
    page = browser.load(f"{server.base_url}/redoc", tmp_path)

    text = page.text()
    for _, path in OPERATIONS:  # ReDoc shows each operation's full address
        assert f"{server.base_url}{path}" in text, text[-3000:]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_everything_the_page_loads_comes_from_the_server(server, tmp_path, path):
    page = browser.load(f"{server.base_url}{path}", tmp_path)

    assets = page.assets()
    kinds = {Path(asset).suffix for asset in assets}
    assert {".js", ".png"} <= kinds, assets  # its script and its icon, at least
    assert [a for a in assets if browser.origin(a) != page.origin] == []
    for asset in assets:
        answer = httpx.get(asset)
        assert answer.status_code == 200, asset
        assert answer.content, asset
    # What the browser itself asked for, scripts' requests included (the OpenAPI document).
    requested = {r.url: r.status for r in page.requests}
    assert {asset for asset in assets if asset.endswith(".js")} <= set(requested)
    assert f"{server.base_url}/openapi.json" in requested
    assert {url: status for url, status in requested.items()
            if browser.origin(url) != page.origin or status != 200} == {}
    assert [address for address in ADDRESS.findall(page.dom)
            if browser.origin(address) != page.origin] == OFF_SITE_LINKS[path]


def test_with_an_api_key_the_pages_open_and_the_operations_stay_guarded(keyed_server,
                                                                        tmp_path):
    url = keyed_server.base_url
    page = browser.load(f"{url}/docs", tmp_path)
    refused = httpx.post(f"{url}/predict", json=ROW)
    answered = httpx.post(f"{url}/predict", json=ROW, headers={"X-API-Key": KEY})

    assert OPERATIONS <= set(SWAGGER_OPERATION.findall(page.dom))
    assert "Authorize" in page.text()  # where a person gives the key to the calls they try
    assert {r.status for r in page.requests} == {200}
    assert refused.status_code == 401 and answered.status_code == 200
    assert KEY not in keyed_server.log()
