"""The HTTP edges of the app: one error shape, a cap on body size, an optional API key.

Every error body is `{"message": "..."}`; a refused request also lists each problem as
`{"field", "message", "type"}` under `errors`, fields written as `rows[3].island`.
Malformed JSON is a 400, a well-formed request the model cannot take a 422, a body over
the size limit a 413 (before it is read), a missing or wrong API key a 401.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from typing import Any, cast

from fastapi import FastAPI, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from starlette.exceptions import HTTPException

BYTES_PER_ROW = 4096  # a request of max_batch_size rows stays under max_batch_size * this
API_KEY_HEADER = "X-API-Key"
_SHOWN = 5
logger = logging.getLogger(__name__)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


def field_name(location: tuple[Any, ...]) -> str:
    """("body", "rows", 3, "island") -> "rows[3].island"; the body itself is "body"."""
    parts = list(location[1:] if location and location[0] == "body" else location)
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


def api_key_check(key: str) -> Callable[..., Any]:
    """A route dependency: 401 unless the request's X-API-Key header is `key`.

    Compared in constant time; the key is neither logged nor echoed.
    """
    expected = key.encode()
    header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False,
                          description="The key from the environment variable that "
                                      "`serving.api_key_env` names")

    async def check(given: str | None = Security(header)) -> None:
        if given is None or not hmac.compare_digest(given.encode(), expected):
            raise HTTPException(status_code=401, headers={"WWW-Authenticate": "ApiKey"},
                                detail=f"missing or wrong API key: send it in the "
                                       f"{API_KEY_HEADER} header")

    return check


class BodySizeLimit:
    """ASGI middleware: 413 for a request whose Content-Length is over `max_bytes`.

    It reads the Content-Length header, which every common client sends; a chunked body
    without one is read as usual.
    """

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            declared = dict(scope["headers"]).get(b"content-length", b"0")
            if declared.isdigit() and int(declared) > self.max_bytes:
                await self._refuse(int(declared), send)
                return
        await self.app(scope, receive, send)

    async def _refuse(self, size: int, send: Any) -> None:
        body = json.dumps({
            "message": f"body: {size} bytes is too large; requests are limited to "
                       f"{self.max_bytes} bytes (serving.max_batch_size rows)"
        }).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


# Starlette types every handler as taking `Exception`; it calls each only with its own class.
async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    problems = cast(RequestValidationError, exc).errors()
    invalid_json = next((p for p in problems if p["type"] == "json_invalid"), None)
    if invalid_json is not None:
        reason = (invalid_json.get("ctx") or {}).get("error", "cannot be parsed")
        return _error(400, f"body: request body is not valid JSON ({reason})")
    errors = [{"field": field_name(p["loc"]), "message": p["msg"], "type": p["type"]}
              for p in problems]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:_SHOWN])
    if len(errors) > _SHOWN:
        summary += f"; and {len(errors) - _SHOWN} more"
    return _error(422, summary, errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    error = cast(HTTPException, exc)
    return _error(error.status_code, str(error.detail), headers=error.headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return _error(500, f"internal error ({type(exc).__name__}); the server log has the details")


def _error(status: int, message: str, headers: Any = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"message": message, **extra}, status_code=status, headers=headers)
