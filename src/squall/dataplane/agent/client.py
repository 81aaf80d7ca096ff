"""The agent's side of the wire: signed HTTP POSTs to the controller over TCP or a unix socket.

``unix:///run/x/ctl.sock`` or ``http://10.0.0.1:8080``. One connection per call keeps
it simple and robust across controller restarts; the send is serialised so that
``seq`` reaches the controller in order. Every reply must name the request it
answers (``re``), so an old reply cannot be replayed. Standard library only.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from . import protocol


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.unix_path)
        self.sock = sock


class Client:
    """Sends ``Message``s and returns the controller's verified reply."""

    def __init__(self, url: str, run: str, agent: str, secret: str) -> None:
        self.url = url
        self.run = run
        self.agent = agent
        self.secret = secret
        self._seq = time.time_ns()
        self._send_lock = threading.Lock()
        parts = urlsplit(url)
        self._unix = parts.path if parts.scheme == "unix" else None
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or 80

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        if self._unix is not None:
            return _UnixConnection(self._unix, timeout)
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout)

    def call(self, kind: str, body: dict[str, Any], *, timeout: float = 30.0) -> dict[str, Any]:
        """POST one message; return the reply's body. Raises OSError or ProtocolError."""
        conn = self._connection(timeout)
        try:
            with self._send_lock:
                self._seq += 1
                sent_seq = self._seq
                message = protocol.Message(kind, self.run, self.agent, self._seq, time.time(), body)
                raw, signature = message.encode(self.secret)
                conn.request(
                    "POST",
                    f"/v1/{kind}",
                    body=raw,
                    headers={
                        "Content-Type": "application/json",
                        protocol.SIGNATURE_HEADER: signature,
                    },
                )
            response = conn.getresponse()
            data = response.read()
            if response.status != 200:
                raise protocol.ProtocolError(
                    f"controller answered {response.status}: {data[:200].decode(errors='replace')}"
                )
            reply = protocol.decode(
                self.secret, data, response.getheader(protocol.SIGNATURE_HEADER), self.run
            )
        finally:
            conn.close()
        if reply.body.get("re") != sent_seq:
            raise protocol.ProtocolError("the reply does not answer this request (replayed?)")
        return reply.body

    def call_retrying(
        self, kind: str, body: dict[str, Any], *, deadline: float, timeout: float = 30.0
    ) -> dict[str, Any]:
        """``call`` again after connection errors until ``deadline`` (monotonic)."""
        delay = 0.1
        while True:
            try:
                return self.call(kind, body, timeout=timeout)
            except (OSError, http.client.HTTPException):
                if time.monotonic() + delay > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
