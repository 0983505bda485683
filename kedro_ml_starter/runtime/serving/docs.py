"""The API's documentation pages, `/docs` (Swagger UI) and `/redoc` (ReDoc), served whole.

FastAPI's own pages load Swagger UI and ReDoc from a CDN and their icon from FastAPI's site:
a blank page wherever no CDN can be reached (a firewall, an air-gapped cluster), and
third-party script in the page where a person types the API key. Here every file the pages
load comes from the app itself, out of the `fastapi-standalone-docs` package (Swagger UI 5,
ReDoc 2 with its logo made same-origin, FastAPI's icon, each with its licence beside it). Only
the package's files are used, found by its folder: its code patches FastAPI's functions for
the whole process, which is not ours to do.

With an API key on, the pages and `/openapi.json` stay open and the operations stay guarded:
a browser cannot send a header when it opens a page, and Swagger UI's Authorize button is
where a person gives the key to the calls they try. `serving.docs: false` leaves the pages out.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse
from starlette.staticfiles import StaticFiles

ASSETS_PACKAGE = "fastapi_standalone_docs"
REQUIREMENT = "fastapi-standalone-docs>=0.3,<0.4"
SWAGGER_URL, REDOC_URL, ASSETS_URL = "/docs", "/redoc", "/docs/static"
# What the pages load, relative to the package's static/ folder.
SWAGGER_JS, SWAGGER_CSS = "swagger/swagger-ui-bundle.js", "swagger/swagger-ui.css"
REDOC_JS, REDOC_LOGO, ICON = "redoc/redoc.standalone.js", "redoc/logo-mini.svg", "fastapi/favicon.png"
FILES = (SWAGGER_JS, SWAGGER_CSS, REDOC_JS, REDOC_LOGO, ICON)
# No online validator badge (Swagger UI would send the schema's address to swagger.io).
SWAGGER_PARAMETERS = {"validatorUrl": None}
logger = logging.getLogger(__name__)


def add_docs(app: FastAPI) -> None:
    """Adds `/docs`, `/redoc` and the files they load to `app` (created with
    `docs_url=None, redoc_url=None`, so FastAPI adds no CDN pages of its own).

    Added after the API's routes, so a request to the API matches before reaching them.
    Without the package's files, both pages answer 503 saying what to install.
    """
    static = assets_folder()
    if static is None:
        logger.warning("No /docs page: %s", _MISSING)
        app.add_route(SWAGGER_URL, _missing, include_in_schema=False)
        app.add_route(REDOC_URL, _missing, include_in_schema=False)
        return
    openapi_url = app.openapi_url or "/openapi.json"

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = _root_path(request)
        return get_swagger_ui_html(
            openapi_url=root + openapi_url, title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_URL}/{SWAGGER_JS}",
            swagger_css_url=f"{root}{ASSETS_URL}/{SWAGGER_CSS}",
            swagger_favicon_url=f"{root}{ASSETS_URL}/{ICON}",
            swagger_ui_parameters=SWAGGER_PARAMETERS)

    async def redoc(request: Request) -> HTMLResponse:
        root = _root_path(request)
        return get_redoc_html(
            openapi_url=root + openapi_url, title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_URL}/{REDOC_JS}",
            redoc_favicon_url=f"{root}{ASSETS_URL}/{ICON}", with_google_fonts=False)

    async def redoc_logo(request: Request) -> FileResponse:
        # The package's ReDoc asks for its logo at the page's own path + "/logo-mini.svg".
        return FileResponse(static / REDOC_LOGO, media_type="image/svg+xml")

    app.add_route(SWAGGER_URL, swagger_ui, include_in_schema=False)
    app.add_route(REDOC_URL, redoc, include_in_schema=False)
    app.add_route(f"{REDOC_URL}/logo-mini.svg", redoc_logo, include_in_schema=False)
    app.mount(ASSETS_URL, StaticFiles(directory=static), name="docs-static")


def assets_folder() -> Path | None:
    """The package's static/ folder, if it holds every file the pages load (None if not).

    Found without importing the package, so none of its code runs.
    """
    spec = importlib.util.find_spec(ASSETS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    static = Path(next(iter(spec.submodule_search_locations))) / "static"
    return static if all((static / name).is_file() for name in FILES) else None


_MISSING = (f"the docs pages need the files of the {REQUIREMENT!r} package: "
            "run `pip install -r requirements.txt`, then restart the server")


async def _missing(request: Request) -> HTMLResponse:
    raise HTTPException(status_code=503, detail=_MISSING)


def _root_path(request: Request) -> str:
    """The prefix a proxy serves the app under (uvicorn's --root-path), as FastAPI's own
    pages use it."""
    return str(request.scope.get("root_path", "")).rstrip("/")
