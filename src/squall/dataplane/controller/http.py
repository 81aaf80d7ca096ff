"""A small HTTP/1.1 server on asyncio streams, over TCP or a unix socket.

Only what the agent protocol needs: POST and GET with a Content-Length body, keep-alive,
bounded header and body sizes. Each request goes to one async handler; its answer is
written with a Content-Length. No third-party HTTP framework: the controller must run
alone on a small proxy instance too, and this is all the HTTP it speaks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

MAX_HEADER = 16 * 1024
MAX_BODY = 16 * 1024 * 1024
CLOSE_GRACE = 5.0  # seconds close() waits for cancelled handlers
_REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 413: "Too Large"}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    peer: str


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


Handler = Callable[[Request], Awaitable[Response]]


class HttpServer:
    """Serves ``handler`` on ``host:port`` and/or a unix socket path until ``close()``."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.servers: list[asyncio.Server] = []
        self.port: int | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._unix_paths: list[Path] = []
        self._closing = False

    async def listen_tcp(self, host: str, port: int = 0) -> int:
        server = await asyncio.start_server(self._serve, host, port, limit=MAX_HEADER, backlog=4096)
        self.servers.append(server)
        self.port = int(server.sockets[0].getsockname()[1])
        return self.port

    async def listen_unix(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        server = await asyncio.start_unix_server(
            self._serve, str(path), limit=MAX_HEADER, backlog=4096
        )
        path.chmod(0o600)
        self.servers.append(server)
        self._unix_paths.append(path)

    async def close(self) -> None:
        self._closing = True
        await self._stop_accepting()
        for server in self.servers:
            server.close()
        handlers = list(self._connections)
        for task in handlers:
            task.cancel()
        if handlers:
            # Wait for them: a handler still running after close() would use state the
            # owner is about to close (asyncio.wait_for in 3.11 can swallow a cancel).
            await asyncio.wait(handlers, timeout=CLOSE_GRACE)
        for server in self.servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()
        self.servers.clear()
        for path in self._unix_paths:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self._unix_paths.clear()

    async def _stop_accepting(self) -> None:
        """Stop accepting, then let connections accepted already get their transport.

        In Python 3.11 a connection accepted just before ``Server.close()`` fails to
        attach to the closed server and its socket stays open until garbage collection:
        the client hangs for its whole timeout. New connections wait in the kernel's
        backlog instead, and closing the listener resets them.
        """
        loop = asyncio.get_running_loop()
        for server in self.servers:
            for sock in server.sockets:
                loop.remove_reader(sock.fileno())
        for _ in range(3):
            await asyncio.sleep(0)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
        peer = _peer(writer)
        try:
            # A connection accepted just before close() starts after its tasks were
            # cancelled: hang up at once, or its client waits out its own timeout.
            while not self._closing:
                request = await _read_request(reader, peer)
                if request is None:
                    return
                if isinstance(request, Response):
                    await _write(writer, request, keep_alive=False)
                    return
                response = await self.handler(request)
                await _write(writer, response, keep_alive=True)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return
        except asyncio.CancelledError:
            return
        finally:
            if task is not None:
                self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await writer.wait_closed()


def _peer(writer: asyncio.StreamWriter) -> str:
    name = writer.get_extra_info("peername")
    if isinstance(name, tuple) and name:
        return str(name[0])
    return "unix"


async def _read_request(reader: asyncio.StreamReader, peer: str) -> Request | Response | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    except asyncio.LimitOverrunError:
        return Response(413, b'{"error": "headers too large"}')
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        return Response(400, b'{"error": "bad request line"}')
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError:
        return Response(400, b'{"error": "bad content-length"}')
    if length < 0 or length > MAX_BODY:
        return Response(413, b'{"error": "body too large"}')
    body = await reader.readexactly(length) if length else b""
    return Request(parts[0], parts[1], headers, body, peer)


async def _write(writer: asyncio.StreamWriter, response: Response, *, keep_alive: bool) -> None:
    reason = _REASONS.get(response.status, "Error")
    lines = [
        f"HTTP/1.1 {response.status} {reason}",
        f"Content-Type: {response.content_type}",
        f"Content-Length: {len(response.body)}",
        "Connection: keep-alive" if keep_alive else "Connection: close",
        *(f"{k}: {v}" for k, v in response.headers.items()),
    ]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + response.body)
    await writer.drain()
