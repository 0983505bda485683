"""Error responses: one JSON shape, a message that names the field, never a traceback.

Every error body is `{"message": "..."}`; a refused request also lists each problem as
`{"field", "message", "type"}` under `errors`, with fields written as `rows[3].island`.
Malformed JSON is a 400, a well-formed request the model cannot take is a 422.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

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


# Starlette types every handler as taking `Exception`; it calls each only with its own class.
async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    problems = cast(RequestValidationError, exc).errors()
    if any(problem["type"] == "json_invalid" for problem in problems):
        error = next(p for p in problems if p["type"] == "json_invalid")
        reason = (error.get("ctx") or {}).get("error", "cannot be parsed")
        return _error(400, f"body: request body is not valid JSON ({reason})")
    errors = [
        {"field": field_name(p["loc"]), "message": p["msg"], "type": p["type"]}
        for p in problems
    ]
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
