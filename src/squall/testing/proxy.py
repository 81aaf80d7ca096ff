"""An HTTP/1.1 proxy on 127.0.0.1 that records every request it forwards.

Tests put it in front of a real service (keystone) to see what a run sent there,
independently of squall's own counters, to terminate TLS with a test certificate,
or to stand in for a failing service::

    with HttpProxy(("127.0.0.1", 5000)) as proxy:            # plain, recording
        ... auth_url = proxy.url + "/v3" ...
        tokens = proxy.count("POST", "/v3/auth/tokens")
    with HttpProxy(("127.0.0.1", 5000), tls=certs.server_context()):   # https://
    with HttpProxy(None, status=503):                          # every request -> 503

It runs its own asyncio loop on a daemon thread; requests are parsed on the
client's side of the stream only (request line, headers, ``Content-Length`` body),
and the upstream's answers are piped back unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any

HOST = "127.0.0.1"


@dataclass(frozen=True)
class SeenRequest:
    """One request the proxy received: method, path, and when (``time.monotonic()``)."""

    method: str
    path: str
    at: float


class HttpProxy:
    """Forward to ``upstream`` (host, port), or answer every request with ``status``."""

    def __init__(
        self,
        upstream: tuple[str, int] | None,
        *,
        tls: ssl.SSLContext | None = None,
        status: int | None = None,
    ) -> None:
        if (upstream is None) == (status is None):
            raise ValueError("give either an upstream or a status")
        self.upstream = upstream
        self.tls = tls
        self.status = status
        self.port = 0
        self._seen: list[SeenRequest] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(lambda loop, ctx: None)  # refused handshakes
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{HOST}:{self.port}"

    @property
    def requests(self) -> list[SeenRequest]:
        with self._lock:
            return list(self._seen)

    def count(self, method: str, path: str) -> int:
        """How many ``method`` requests for ``path`` (query string ignored) arrived."""
        return sum(1 for r in self.requests if r.method == method and r.path == path)

    def start(self) -> HttpProxy:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        self.port = future.result(timeout=10)
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> HttpProxy:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- on the proxy's loop ------------------------------------------------------------

    async def _listen(self) -> int:
        self._server = await asyncio.start_server(self._serve, HOST, 0, ssl=self.tls)
        return int(self._server.sockets[0].getsockname()[1])

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
            if hasattr(self._server, "close_clients"):  # Python >= 3.13
                self._server.close_clients()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 2)
        current = asyncio.current_task()
        for task in asyncio.all_tasks():
            if task is not current:
                task.cancel()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if self.status is not None:
                await self._answer(reader, writer, self.status)
            else:
                await self._forward(reader, writer)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ssl.SSLError):
            pass  # a client that went away, or refused our certificate
        finally:
            writer.close()

    async def _request(self, reader: asyncio.StreamReader) -> bytes | None:
        """The next whole request (head and body) from ``reader``, recorded; None at EOF."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, _, rest = lines[0].partition(" ")
        path = rest.rpartition(" ")[0].split("?", 1)[0]
        with self._lock:
            self._seen.append(SeenRequest(method, path, time.monotonic()))
        length = 0
        for line in lines[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == "content-length":
                length = int(value.strip())
        body = await reader.readexactly(length) if length else b""
        return head + body

    async def _answer(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, status: int
    ) -> None:
        if await self._request(reader) is None:
            return
        body = json.dumps({"error": {"code": status, "message": "injected by HttpProxy"}})
        payload = body.encode()
        writer.write(
            f"HTTP/1.1 {status} Injected\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
            + payload
        )
        await writer.drain()

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert self.upstream is not None
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        back = asyncio.create_task(_pipe(up_reader, writer))
        try:
            while (request := await self._request(reader)) is not None:
                up_writer.write(request)
                await up_writer.drain()
        finally:
            up_writer.close()
            back.cancel()
            with contextlib.suppress(asyncio.CancelledError, OSError):
                await back


async def _pipe(reader: asyncio.StreamReader, writer: Any) -> None:
    """Copy ``reader`` to ``writer`` until EOF, then hang up ``writer`` too."""
    while chunk := await reader.read(65536):
        writer.write(chunk)
        await writer.drain()
    writer.close()
