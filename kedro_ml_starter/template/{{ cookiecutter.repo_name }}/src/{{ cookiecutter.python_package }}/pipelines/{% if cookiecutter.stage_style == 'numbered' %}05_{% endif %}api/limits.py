"""A cap on request size: a huge body is refused before it is read into memory.

The largest valid request is a batch of `max_batch_size` rows of a few hundred bytes
each, so anything declaring more than BYTES_PER_ROW per allowed row is refused with 413.
The check reads the Content-Length header, which every common client sends; a chunked
body without one is read as usual.
"""

from __future__ import annotations

import json
from typing import Any

BYTES_PER_ROW = 4096


class BodySizeLimit:
    """ASGI middleware: 413 for a request whose Content-Length is over `max_bytes`."""

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
