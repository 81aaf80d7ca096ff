"""Exports over HTTP leave the server while they are written (real uvicorn on 127.0.0.1)."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator, Sequence
from typing import ClassVar, TextIO

import httpx
import pytest

from squall.api import exports as exports_api
from squall.plugins.loader import load_registry
from squall.reports.exporters.base import Exporter, RunData
from squall.results.records import RunStatus
from squall.server.app import create_app
from squall.server.settings import ServerSettings
from squall.server.textstream import ReaderGone
from squall.testing.records import make_env, make_task, stream

from .conftest import AUTH, TOKEN, serve

pytestmark = pytest.mark.integration
GUARD = 30.0  # seconds a test waits before calling a missing event a failure
received = threading.Event()  # set by a test once the first bytes of a body reached it
endless_ended = threading.Event()
endless_stopped_by: list[BaseException] = []


class GatedExporter(Exporter):
    """Writes the run's id, then waits until the client has received it."""

    name: ClassVar[str] = "test-gated"

    def export(self, runs: Sequence[RunData], out: TextIO) -> None:
        out.write(f"run {runs[0].record.id}\n")
        out.flush()
        if not received.wait(GUARD):  # only a streamed body lets the client set it
            out.write("the client saw nothing while the export ran\n")
        out.write("the rest\n")


class EndlessExporter(Exporter):
    """Writes 20 MB, far more than the client reads, unless the client goes away."""

    name: ClassVar[str] = "test-endless"

    def export(self, runs: Sequence[RunData], out: TextIO) -> None:
        try:
            for _ in range(20_000):
                out.write("x" * 999 + "\n")
        except BaseException as exc:
            endless_stopped_by.append(exc)
            raise
        finally:
            endless_ended.set()


@pytest.fixture(scope="module")
def big_run(stored) -> str:
    store, _ = stored
    task = make_task("big export", workloads=1)
    run_id = store.create_run(task, make_env(), ["big"])
    wid = store.add_workload(run_id, 0, 0, "big", task.subtasks[0].workloads[0])
    for batch in stream(30_000, batch=10_000):
        store.add_iterations(wid, batch)
    store.set_run_status(run_id, RunStatus.FINISHED, finished=True)
    return run_id


@pytest.fixture(scope="module")
def served(stored) -> Iterator[str]:
    store, _ = stored
    registry = load_registry([])
    registry.add_class(GatedExporter, origin="test")
    registry.add_class(EndlessExporter, origin="test")
    app = create_app(ServerSettings(token=TOKEN), store=store, registry=registry)
    with serve(app) as url:
        yield url


def test_the_first_bytes_arrive_before_the_export_is_finished(served, big_run):
    url = f"{served}/api/v1/runs/{big_run}/export"
    with httpx.stream("GET", url, params={"type": "test-gated"}, headers=AUTH) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/plain; charset=utf-8"
        chunks = answer.iter_text()
        assert next(chunks) == f"run {big_run}\n"
        received.set()
        assert "".join(chunks) == "the rest\n"


def test_a_large_export_streams_in_pieces_and_is_the_same_as_written_at_once(
    served, stored, big_run
):
    store, _ = stored
    url = f"{served}/api/v1/runs/{big_run}/export"
    with httpx.stream("GET", url, params={"type": "json"}, headers=AUTH) as answer:
        assert answer.status_code == 200
        pieces = list(answer.iter_raw())
    assert len(pieces) > 10
    whole = io.StringIO()
    exports_api.export(store, [big_run], "json", whole)
    sent = json.loads(b"".join(pieces))
    expected = json.loads(whole.getvalue())
    sent.pop("generated_at")
    expected.pop("generated_at")
    assert sent == expected
    assert len(sent["runs"][0]["workloads"][0]["iterations"]) == 30_000


def test_a_client_that_goes_away_stops_the_export(served, big_run):
    url = f"{served}/api/v1/runs/{big_run}/export"
    with httpx.stream("GET", url, params={"type": "test-endless"}, headers=AUTH) as answer:
        assert answer.status_code == 200
        got = 0
        for piece in answer.iter_raw():
            got += len(piece)
            if got > 1_000_000:
                break
    assert endless_ended.wait(GUARD)
    assert [type(exc) for exc in endless_stopped_by] == [ReaderGone]


def test_errors_are_answered_before_any_streaming(served, big_run):
    url = f"{served}/api/v1/runs/{big_run}/export"
    assert httpx.get(url).status_code == 401
    unknown = httpx.get(url, params={"type": "nope"}, headers=AUTH)
    assert unknown.status_code == 400 and "nope" in unknown.json()["error"]
    missing = httpx.get(f"{served}/api/v1/runs/ffffffffffff/export", headers=AUTH)
    assert missing.status_code == 404
