"""Pushing runs to a tiny real HTTP server on 127.0.0.1 that speaks enough of the _bulk API.

OpenSearch and Elasticsearch are not packaged by Debian, so the server here checks
what a real one would: the NDJSON content type, pairs of action and source lines,
credentials; and it answers with the _bulk response shape, errors included.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from squall.api import search as search_api
from squall.errors import ExportError

pytestmark = pytest.mark.integration

USER, PASSWORD, TOKEN = "squall", "canary-pa55", "tok-123"


class BulkServer(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), BulkHandler)
        self.docs: dict[tuple[str, str], dict] = {}
        self.requests = 0
        self.reject_index: str | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class BulkHandler(BaseHTTPRequestHandler):
    server: BulkServer

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_POST(self) -> None:
        if self.path != "/_bulk":
            return self._answer(404, {"error": "no such endpoint"})
        if not self._authorised():
            return self._answer(401, {"error": "unauthorised"})
        if self.headers.get("Content-Type") != "application/x-ndjson":
            return self._answer(406, {"error": "Content-Type must be application/x-ndjson"})
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        if not body.endswith("\n"):
            return self._answer(400, {"error": "the bulk request must end with a newline"})
        lines = body.splitlines()
        if len(lines) % 2:
            return self._answer(400, {"error": "an action without a source"})
        self.server.requests += 1
        items = []
        for action, source in zip(lines[::2], lines[1::2], strict=True):
            meta = json.loads(action)["index"]
            doc = json.loads(source)
            if meta["_index"] == self.server.reject_index:
                error = {"type": "mapper_parsing_exception", "reason": "bad field"}
                items.append({"index": {"_id": meta["_id"], "status": 400, "error": error}})
                continue
            self.server.docs[(meta["_index"], meta["_id"])] = doc
            items.append({"index": {"_index": meta["_index"], "_id": meta["_id"], "status": 201}})
        errors = any("error" in item["index"] for item in items)
        self._answer(200, {"took": 1, "errors": errors, "items": items})

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        basic = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        return header in (basic, f"Bearer {TOKEN}")

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def bulk_server() -> Iterator[BulkServer]:
    server = BulkServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def with_credentials(url: str) -> str:
    return url.replace("http://", f"http://{USER}:{PASSWORD}@")


def test_push_a_run_with_rally_index_names(sample_runs, bulk_server):
    store, runs = sample_runs
    result = search_api.push_runs(
        store, [runs["failures"]], with_credentials(bulk_server.url), indices="rally"
    )
    assert result.documents == len(bulk_server.docs) > 100
    indices = {index for index, _ in bulk_server.docs}
    assert indices == {
        "rally_task_data_v1",
        "rally_workload_data_v1",
        "rally_atomic_action_data_v1",
    }
    task = bulk_server.docs[("rally_task_data_v1", runs["failures"])]
    assert task["title"] == "Dummy failures"


def test_push_with_a_token_and_without_actions(sample_runs, bulk_server):
    store, runs = sample_runs
    result = search_api.push_runs(
        store, [runs["fast"], runs["slow"]], bulk_server.url, actions=False, token=TOKEN
    )
    assert result.documents == 4 and result.requests == 1
    assert {index for index, _ in bulk_server.docs} == {"squall_run_v1", "squall_workload_v1"}


def test_wrong_credentials_are_refused_without_showing_them(sample_runs, bulk_server):
    store, runs = sample_runs
    url = bulk_server.url.replace("http://", f"http://{USER}:wrong-{PASSWORD}@")
    with pytest.raises(ExportError) as caught:
        search_api.push_runs(store, [runs["fast"]], url, actions=False)
    assert "refused the credentials" in caught.value.message
    assert PASSWORD not in str(caught.value)


def test_rejected_documents_are_an_error(sample_runs, bulk_server):
    store, runs = sample_runs
    bulk_server.reject_index = "squall_workload_v1"
    with pytest.raises(ExportError, match="mapper_parsing_exception"):
        search_api.push_runs(store, [runs["fast"]], bulk_server.url, token=TOKEN, actions=False)


def test_an_unreachable_server_is_a_clear_error(sample_runs, bulk_server):
    store, runs = sample_runs
    url = with_credentials(bulk_server.url)
    bulk_server.shutdown()
    bulk_server.server_close()
    with pytest.raises(ExportError, match="cannot reach") as caught:
        search_api.push_runs(store, [runs["fast"]], url, actions=False)
    assert PASSWORD not in str(caught.value)
