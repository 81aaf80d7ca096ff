"""Long-running servers an agent starts for tests: nginx, iperf3 servers, a built-in HTTP server.

Every process is the agent's own child (nginx runs with ``daemon off``), tracked by PID
and stopped by PID. When nginx is not installed, ``http`` falls back to a small built-in
asyncio server that answers every GET with the same body. Standard library only.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

NGINX_CONF = """\
daemon off;
{user}
worker_processes {workers};
worker_rlimit_nofile 16384;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  default_type application/octet-stream;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_timeout 65; keepalive_requests 100000000;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  server {{
    listen {port} backlog=4096;
    root {dir}/www;
  }}
}}
"""


class ServiceError(Exception):
    """A service could not be started (message says what to install or fix)."""


@dataclass
class Service:
    name: str
    port: int
    process: subprocess.Popen[bytes] | None = None
    thread: threading.Thread | None = None
    stop_event: Any = None
    kind: str = ""
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None


class Services:
    """The services one agent runs, keyed by name."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.running: dict[str, Service] = {}

    def start(self, spec: dict[str, Any]) -> Service:
        kind = str(spec["service"])
        name = str(spec.get("name", kind))
        if name in self.running:
            service = self.running[name]
            if kind == "http":
                self._another_body(service, spec)
            return service
        port = int(spec["port"])
        if kind == "http":
            service = self._http(name, port, spec)
        elif kind == "iperf3":
            service = self._iperf3(name, port)
        else:
            raise ServiceError(f"unknown service {kind!r}")
        self.running[name] = service
        _wait_listening(port, service)
        return service

    def _http(self, name: str, port: int, spec: dict[str, Any]) -> Service:
        size = int(spec.get("size", 1024))
        path = str(spec.get("path", "/data.bin")).lstrip("/")
        server = str(spec.get("server", "auto"))
        nginx = shutil.which("nginx") or _sbin("nginx")
        if server == "nginx" and nginx is None:
            raise ServiceError("nginx is not installed (apt-get install nginx-light)")
        if nginx is not None and server in ("auto", "nginx"):
            return self._nginx(nginx, name, port, size, path, int(spec.get("workers", 1)))
        service = _builtin_http(name, port, os.urandom(size))
        service.info["size"] = size
        return service

    def _another_body(self, service: Service, spec: dict[str, Any]) -> None:
        """A later test asks the running HTTP server for another body size."""
        path = str(spec.get("path", "/data.bin")).lstrip("/")
        size = int(spec.get("size", 1024))
        if service.kind == "nginx":
            target = self.workdir / service.name / "www" / path
            if not target.exists():
                target.write_bytes(os.urandom(size))
        elif service.info.get("size") != size:
            raise ServiceError(
                f"the built-in HTTP server already serves {service.info.get('size')} bytes; "
                "install nginx to serve several sizes in one run"
            )

    def _nginx(
        self, binary: str, name: str, port: int, size: int, path: str, workers: int
    ) -> Service:
        base = self.workdir / name
        (base / "www").mkdir(parents=True, exist_ok=True)
        (base / "www" / path).write_bytes(os.urandom(size))
        conf = base / "nginx.conf"
        user = "user root;" if os.geteuid() == 0 else ""  # workers must read our work dir
        conf.write_text(NGINX_CONF.format(dir=base, port=port, workers=workers, user=user))
        process = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(base)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return Service(name, port, process=process, kind="nginx")

    def _iperf3(self, name: str, port: int) -> Service:
        binary = shutil.which("iperf3")
        if binary is None:
            raise ServiceError("iperf3 is not installed (apt-get install iperf3)")
        process = subprocess.Popen(
            [binary, "-s", "-p", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return Service(name, port, process=process, kind="iperf3")

    def stop_all(self) -> None:
        for service in list(self.running.values()):
            _stop(service)
        self.running.clear()


def _sbin(name: str) -> str | None:
    for directory in ("/usr/sbin", "/sbin", "/usr/local/sbin"):
        candidate = Path(directory) / name
        if candidate.exists():
            return str(candidate)
    return None


def _wait_listening(port: int, service: Service, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process is not None and service.process.poll() is not None:
            err = (
                service.process.stderr.read().decode(errors="replace")
                if service.process.stderr
                else ""
            )
            raise ServiceError(
                f"{service.kind} exited with {service.process.returncode}: {err.strip()}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.02)
    _stop(service)
    raise ServiceError(
        f"{service.kind or service.name} did not listen on port {port} in {timeout:.0f} s"
    )


def _stop(service: Service, grace: float = 5.0) -> None:
    if service.stop_event is not None:
        service.stop_event.set()
    if service.thread is not None:
        service.thread.join(grace)
    process = service.process
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGQUIT if service.kind == "nginx" else signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(grace)


def _builtin_http(name: str, port: int, body: bytes) -> Service:
    """A minimal keep-alive HTTP/1.1 server in a thread, for hosts without nginx."""
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
    )
    answer = head + body
    stop = threading.Event()
    ready = threading.Event()

    class _Proto(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = cast(asyncio.Transport, transport)
            self.buf = b""

        def data_received(self, data: bytes) -> None:
            self.buf += data
            while True:
                end = self.buf.find(b"\r\n\r\n")
                if end < 0:
                    return
                self.buf = self.buf[end + 4 :]
                self.transport.write(answer)

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(_Proto, "0.0.0.0", port, backlog=4096)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        server.close()
        await server.wait_closed()

    thread = threading.Thread(target=lambda: asyncio.run(serve()), name=f"http-{name}", daemon=True)
    thread.start()
    ready.wait(5.0)
    return Service(name, port, thread=thread, stop_event=stop, kind="builtin-http")
