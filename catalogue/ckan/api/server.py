"""How `catalogue serve` runs uvicorn: its HTTP protocol with bounds on slow and large request
heads, and the connection limits of `catalogue.ckan.api.limits`.

uvicorn's httptools protocol has a keep-alive timeout but none for a request that is still
arriving: any byte cancels it, so a client sending a header byte every few seconds (slowloris)
holds a connection forever, and a head of any size is read into memory. This protocol closes a
connection whose request line and headers are not complete within HEAD_TIMEOUT of the
connection or of the previous response, and answers 431 to a head past MAX_HEAD_BYTES.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from catalogue.ckan.api import limits

LINGER = 2.0  # seconds a refused connection is read (and dropped) before it is closed


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size bound for every request head."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head_deadline: asyncio.TimerHandle | None = None
        self.head_bytes = 0
        self.refused = False  # a 431 was sent: ignore whatever else arrives

    def _arm(self) -> None:
        self._disarm()
        self.head_bytes = 0
        self.head_deadline = self.loop.call_later(limits.HEAD_TIMEOUT, self._too_slow)

    def _disarm(self) -> None:
        if self.head_deadline is not None:
            self.head_deadline.cancel()
            self.head_deadline = None

    def _too_slow(self) -> None:
        self.head_deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()  # a connection that never sends a whole request is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.refused:
            return
        if self.head_deadline is not None:  # counted before the parser copies the headers
            end = data.find(b"\r\n\r\n")
            self.head_bytes += len(data) if end < 0 else end
            if self.head_bytes > limits.MAX_HEAD_BYTES:
                self._refuse()
                return
        super().data_received(data)

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > limits.MAX_URL_BYTES:
            self._refuse(414, "URI Too Long",
                         f"Bad request - URL longer than {limits.MAX_URL_BYTES} bytes")
            raise _Refused  # stops the parser; uvicorn's 400 for parser errors is then skipped

    def send_400_response(self, msg: str) -> None:
        if not self.refused:
            super().send_400_response(msg)

    def _refuse(self, status: int = 431, reason: str = "Request Header Fields Too Large",
                message: str = "") -> None:
        self._disarm()
        self.refused = True
        body = orjson.dumps(message or "Bad request - request line and headers larger than "
                            f"{limits.MAX_HEAD_BYTES} bytes")
        self.transport.write(f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
                             f"connection: close\r\ncontent-length: {len(body)}\r\n\r\n".encode()
                             + body)
        # a lingering close: stop writing but read (and drop) what the client is still sending
        # for a moment, so that its kernel does not answer our close with a reset before the
        # client has read the answer
        if self.transport.can_write_eof():
            self.transport.write_eof()
            self.loop.call_later(LINGER, self.transport.close)
        else:
            self.transport.close()

    def eof_received(self) -> bool | None:
        if self.refused:
            self.transport.close()
        return super().eof_received()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # the next request's head (the idle keep-alive timeout is shorter); not while a
        # pipelined request, whose head is already read, is being answered
        if not self.transport.is_closing() and (self.cycle is None or self.cycle.response_complete):
            self._arm()


class _Refused(Exception):
    """Raised from a parser callback to stop reading a request that was refused."""


def uvicorn_options() -> dict[str, Any]:
    """The uvicorn settings of `catalogue serve` (see docs/ckan-api.md, Limits)."""
    return {"http": BoundedHttpToolsProtocol, "timeout_keep_alive": limits.KEEP_ALIVE_TIMEOUT,
            "limit_concurrency": limits.MAX_CONNECTIONS,
            "h11_max_incomplete_event_size": limits.MAX_HEAD_BYTES,
            "timeout_graceful_shutdown": 10}
