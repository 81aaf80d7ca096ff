"""`squall server` for real: refuses without a token, serves with one, logs no token."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from squall.server.logs import mask_query_token

pytestmark = pytest.mark.integration
TOKEN = "log-test-token-0123456789"
SERVE = "from squall.cli.server import app; app()"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_status(url: str, follow: bool = True) -> int:
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return int(exc.code)


def wait_until_serving(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def test_mask_query_token():
    assert mask_query_token("GET /ui/login?token=abc&x=1") == "GET /ui/login?token=***&x=1"
    assert mask_query_token("/a?b=1&TOKEN=zz") == "/a?b=1&TOKEN=***"


def test_the_served_app_keeps_the_token_out_of_its_log(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "SQUALL_SERVER_TOKEN": TOKEN,
        "SQUALL_DB_URL": f"sqlite:///{tmp_path / 'db'}",
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_serving(port)
        login = http_status(f"http://127.0.0.1:{port}/ui/login?token={TOKEN}", follow=False)
        assert login == 303
        assert http_status(f"http://127.0.0.1:{port}/api/v1/runs") == 401
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert "/ui/login?token=***" in output
    assert TOKEN not in output


def test_no_token_no_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SQUALL_SERVER_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-c", SERVE, "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "needs a bearer token" in result.stderr + result.stdout
