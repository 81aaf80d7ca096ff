"""HttpProxy against a real HTTP server: it forwards, records, terminates TLS, fails on
request."""

from __future__ import annotations

import http.server
import json
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from squall.testing.proxy import HttpProxy
from squall.testing.tls import self_signed

pytestmark = pytest.mark.integration


class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.dumps(
            {"method": self.command, "path": self.path, "body": self.rfile.read(length).decode()}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _reply

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def upstream() -> Iterator[tuple[str, int]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", server.server_address[1]
    server.shutdown()
    server.server_close()


def fetch(url: str, data: bytes | None = None, context: ssl.SSLContext | None = None) -> dict:
    with urllib.request.urlopen(url, data=data, timeout=10, context=context) as answer:
        return json.loads(answer.read())


def test_it_forwards_and_records_every_request(upstream):
    with HttpProxy(upstream) as proxy:
        assert fetch(proxy.url + "/v3?x=1")["path"] == "/v3?x=1"
        echoed = fetch(proxy.url + "/v3/auth/tokens", data=b'{"auth": 1}')
        assert echoed == {"method": "POST", "path": "/v3/auth/tokens", "body": '{"auth": 1}'}
        seen = proxy.requests
    assert [(r.method, r.path) for r in seen] == [("GET", "/v3"), ("POST", "/v3/auth/tokens")]
    assert seen[0].at <= seen[1].at
    assert proxy.count("POST", "/v3/auth/tokens") == 1


def test_requests_on_one_kept_alive_connection_are_each_recorded(upstream):
    import http.client

    with HttpProxy(upstream) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        for body in (b"a", b"bb", b"ccc"):
            conn.request("POST", "/p", body=body)
            assert json.loads(conn.getresponse().read())["body"] == body.decode()
        conn.close()
        assert proxy.count("POST", "/p") == 3


def test_tls_with_a_self_signed_certificate(upstream, tmp_path):
    certs = self_signed(tmp_path)
    with HttpProxy(upstream, tls=certs.server_context()) as proxy:
        assert proxy.url.startswith("https://")
        with pytest.raises(urllib.error.URLError, match="self-signed certificate"):
            fetch(proxy.url + "/refused")
        trusted = ssl.create_default_context(cafile=str(certs.cert))
        assert fetch(proxy.url + "/ok", context=trusted)["path"] == "/ok"
        assert [r.path for r in proxy.requests] == ["/ok"]


def test_a_status_proxy_answers_every_request_with_it():
    with HttpProxy(None, status=503) as proxy:
        with pytest.raises(urllib.error.HTTPError) as failed:
            fetch(proxy.url + "/v3/auth/tokens", data=b"{}")
        assert failed.value.code == 503
        failed.value.close()
        assert proxy.count("POST", "/v3/auth/tokens") == 1


def test_it_needs_an_upstream_or_a_status():
    with pytest.raises(ValueError, match="either"):
        HttpProxy(None)
