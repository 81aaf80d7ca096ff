"""The proxy relay (a real process, as on a proxy instance) and squall's dialer, on loopback.

An HTTP server stands in for the controller: requests sent to the relay's agent port
arrive there through a connection squall opened *outwards* to the relay's back port.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from squall.dataplane import relay
from squall.dataplane.providers.openstack_proxy import Dialer, relay_bundle

pytestmark = pytest.mark.integration
SECRET, RUN = "relay-secret", "0123456789abcdef0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"relay not listening on {port}")


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def controller() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def relay_ports(tmp_path: Path) -> Iterator[tuple[int, int]]:
    """The relay zipapp running as its own process: (agent port, back port)."""
    agent_port, back_port = _free_port(), _free_port()
    (tmp_path / "relay.pyz").write_bytes(relay_bundle())
    config = {
        "secret": SECRET,
        "run": RUN,
        "host": "127.0.0.1",
        "agent_port": agent_port,
        "back_port": back_port,
    }
    (tmp_path / "relay.json").write_text(json.dumps(config))
    log = tmp_path / "relay.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(tmp_path / "relay.pyz"), "--config", str(tmp_path / "relay.json")],
            stderr=stderr,
        )
    try:
        _wait_listening(back_port, process, log)
        yield agent_port, back_port
    finally:
        process.terminate()
        process.wait(10)


def test_agents_reach_the_controller_through_connections_squall_opened(relay_ports, controller):
    agent_port, back_port = relay_ports
    dialer = Dialer(
        ("127.0.0.1", back_port), ("127.0.0.1", controller), relay.token(SECRET, RUN), 4
    )
    dialer.start()
    try:

        def get(index: int) -> dict[str, str]:
            url = f"http://127.0.0.1:{agent_port}/v1/poll/{index}"
            with urllib.request.urlopen(url, timeout=20) as response:
                return dict(json.loads(response.read()))

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(get, range(12)))
        assert [a["path"] for a in answers] == [f"/v1/poll/{i}" for i in range(12)]
        assert dialer.paired == 12
    finally:
        dialer.stop()


def test_a_back_connection_without_the_run_token_is_refused(relay_ports):
    _agent_port, back_port = relay_ports
    with socket.create_connection(("127.0.0.1", back_port), timeout=10) as sock:
        sock.sendall(relay.HELLO + relay.token("wrong-secret", RUN).encode() + b"\n")
        assert sock.recv(16) == b""  # hung up at once


def test_real_agents_register_and_take_commands_through_the_relay(tmp_path, relay_ports):
    import asyncio

    from squall.dataplane.agent import protocol
    from squall.dataplane.bundle import build_bundle
    from squall.dataplane.controller.core import Controller
    from squall.dataplane.controller.state import Command, MemoryState

    agent_port, back_port = relay_ports
    bundle = build_bundle(tmp_path / "agent.pyz")
    names = ("a1", "a2")
    for name in names:
        config = {
            "controller": f"http://127.0.0.1:{agent_port}",
            "run": RUN,
            "agent_id": name,
            "secret": SECRET,
            "workdir": str(tmp_path / name),
            "register_timeout": 30,
        }
        (tmp_path / f"{name}.json").write_text(json.dumps(config))

    async def scenario() -> None:
        controller = Controller(RUN, SECRET, MemoryState(), poll_wait=1)
        port = _free_port()
        await controller.start(host="127.0.0.1", port=port)
        dialer = Dialer(("127.0.0.1", back_port), ("127.0.0.1", port), relay.token(SECRET, RUN), 6)
        dialer.start()
        agents = []
        try:
            for name in names:
                with (tmp_path / f"{name}.log").open("wb") as log:
                    agents.append(
                        subprocess.Popen(
                            [
                                sys.executable,
                                str(bundle),
                                "--config",
                                str(tmp_path / f"{name}.json"),
                            ],
                            stdout=log,
                            stderr=log,
                        )
                    )
            assert await controller.wait_for_agents(set(names), 60) == set(names)
            await controller.submit([Command(f"exit-{n}", n, protocol.OP_EXIT) for n in names])
            codes = await asyncio.to_thread(lambda: [a.wait(30) for a in agents])
            assert codes == [0, 0], [(tmp_path / f"{n}.log").read_text() for n in names]
            assert controller.rejected == 0
        finally:
            for agent in agents:
                if agent.poll() is None:
                    agent.kill()
                    agent.wait(10)
            dialer.stop()
            await controller.stop()

    asyncio.run(scenario())
