"""Exports over HTTP (real uvicorn on 127.0.0.1): a complete file with its length, or an
error status with a JSON body, never a 200 cut short; a client that goes away stops them.

The failing exporters come from a plugin folder the server loads at start, as an
operator's would.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from squall.api import exports as exports_api
from squall.dataplane.store import TESTS, DataplaneStore
from squall.results.records import RunStatus
from squall.server.app import create_app
from squall.server.settings import ServerSettings
from squall.testing.records import make_env, make_task, stream

from .conftest import AUTH, CANARY, TOKEN, serve

pytestmark = pytest.mark.integration
GUARD = 30.0  # seconds a test waits before calling a missing event a failure
DATAPLANE_ID = "e" * 32

PLUGINS = '''
"""Exporters that fail half-way, or never end until their reader goes."""

import time
from pathlib import Path
from typing import ClassVar

from squall.errors import StoreError
from squall.reports.exporters.base import Exporter

STOPPED = Path(__file__).with_name("endless.stopped")


class BrokenExporter(Exporter):
    name: ClassVar[str] = "test-broken"

    def export(self, runs, out):
        for _ in range(2000):
            out.write("x" * 999 + "\\n")  # 2 MB written, then a bug
        raise RuntimeError("lost the thread at http://admin:CANARY@db.example:5432/x")


class StoreGoneExporter(Exporter):
    name: ClassVar[str] = "test-store-gone"

    def export(self, runs, out):
        out.write("half\\n" * 1000)
        raise StoreError("cannot read iterations: the database went away", hint="try later")


class EndlessExporter(Exporter):
    name: ClassVar[str] = "test-endless"

    def export(self, runs, out):
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline:
                out.write("x" * 999 + "\\n")
                out.flush()
                time.sleep(0.01)
        except BaseException as exc:
            STOPPED.write_text(type(exc).__name__)
            raise
        STOPPED.write_text("never stopped")
'''.replace("CANARY", CANARY)


@pytest.fixture(scope="module")
def plugin_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export-plugins")
    (folder / "failing_exporters.py").write_text(PLUGINS)
    return folder


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
def served(stored, plugin_folder) -> Iterator[str]:
    store, _ = stored
    app = create_app(ServerSettings(token=TOKEN, plugin_paths=[plugin_folder]), store=store)
    with serve(app) as url:
        yield url


def export(served: str, run_id: str, kind: str) -> httpx.Response:
    url = f"{served}/api/v1/runs/{run_id}/export"
    return httpx.get(url, params={"type": kind}, headers=AUTH, timeout=GUARD)


def test_a_large_export_is_sent_whole_with_its_length(served, stored, big_run):
    store, _ = stored
    url = f"{served}/api/v1/runs/{big_run}/export"
    with httpx.stream("GET", url, params={"type": "json"}, headers=AUTH) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/json"
        pieces = list(answer.iter_raw())
    body = b"".join(pieces)
    assert len(pieces) > 1  # sent in chunks, not as one buffer
    assert int(answer.headers["content-length"]) == len(body)
    whole = io.StringIO()
    exports_api.export(store, [big_run], "json", whole)
    sent, expected = json.loads(body), json.loads(whole.getvalue())
    sent.pop("generated_at")
    expected.pop("generated_at")
    assert sent == expected
    assert len(sent["runs"][0]["workloads"][0]["iterations"]) == 30_000


def test_a_failure_half_way_is_an_error_status_not_a_cut_file(served, big_run):
    answer = export(served, big_run, "test-broken")
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/json"
    error = answer.json()
    assert error["error"].startswith("the export failed: RuntimeError: lost the thread")
    assert CANARY not in answer.text  # the message quoted a URL with a password
    assert "xxxx" not in answer.text  # nothing of the export itself


def test_a_squall_error_half_way_is_answered_with_its_message(served, big_run):
    answer = export(served, big_run, "test-store-gone")
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "cannot read iterations: the database went away",
        "hint": "try later",
        "problems": [],
    }


def test_a_client_that_goes_away_stops_the_export(served, big_run, plugin_folder):
    stopped = plugin_folder / "endless.stopped"
    with pytest.raises(httpx.ReadTimeout):  # nothing comes until the export is whole
        httpx.get(f"{served}/api/v1/runs/{big_run}/export", params={"type": "test-endless"},
                  headers=AUTH, timeout=1.0)  # fmt: skip
    deadline = time.monotonic() + GUARD
    while not stopped.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert stopped.read_text() == "ReaderGone"


def test_errors_are_answered_before_any_export(served, big_run):
    url = f"{served}/api/v1/runs/{big_run}/export"
    assert httpx.get(url).status_code == 401
    unknown = httpx.get(url, params={"type": "nope"}, headers=AUTH)
    assert unknown.status_code == 400 and "nope" in unknown.json()["error"]
    missing = httpx.get(f"{served}/api/v1/runs/ffffffffffff/export", headers=AUTH)
    assert missing.status_code == 404


def dataplane_run(tests: int) -> dict:
    test = {"test": "web", "tool": "http", "partial": False, "counters": {"requests": 1.0},
            "histograms": {}, "intervals": [], "pairs": [{"client": "c", "server": "s",
            "status": "ok", "error": f"GET http://u:{CANARY}@h/ failed once"}]}  # fmt: skip
    return {
        "run": DATAPLANE_ID, "title": "exported", "provider": "netns",
        "network_mode": "full", "status": "finished", "error": None, "started_at": 1.0,
        "finished_at": 2.0, "plan": {"cloud": {"auth": {"password": CANARY}}},
        "environment": {}, "agents": [], "rejected_messages": 0,
        "tests": [test | {"repetition": i, "padding": "y" * 100_000} for i in range(tests)],
    }  # fmt: skip


def test_a_dataplane_run_is_exported_whole_and_a_damaged_one_is_an_error(served, stored):
    store, _ = stored
    DataplaneStore(store).save(dataplane_run(tests=60))  # 6 MB: spooled to disk
    url = f"{served}/api/v1/dataplane/runs/{DATAPLANE_ID[:6]}/export"
    answer = httpx.get(url, headers=AUTH, timeout=GUARD)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert int(answer.headers["content-length"]) == len(answer.content)
    sent = answer.json()
    assert sent["schema"] == "squall.dataplane.run/1" and sent["run"] == DATAPLANE_ID
    assert [t["repetition"] for t in sent["tests"]] == list(range(60))
    assert sent["plan"]["cloud"]["auth"] == "***"  # a secret-named key: masked whole
    assert CANARY not in answer.text
    _, writer = store.engines
    with writer.begin() as conn:  # the last test's row cannot be read back
        conn.execute(
            update(TESTS)
            .where(TESTS.c.run_id == DATAPLANE_ID, TESTS.c.position == 59)
            .values(data="{not json")
        )
    broken = httpx.get(url, headers=AUTH, timeout=GUARD)
    assert broken.status_code == 500
    assert broken.json()["error"].startswith("the export failed: JSONDecodeError")
    report = httpx.get(url.replace("/export", "/report"), headers=AUTH, timeout=GUARD)
    assert report.status_code == 500  # the report too: an error, never half a page
    assert report.json()["error"].startswith("the report failed: JSONDecodeError")
    missing = httpx.get(f"{served}/api/v1/dataplane/runs/abcdef12/export", headers=AUTH)
    assert missing.status_code == 404 and "0 data-plane runs match" in missing.json()["error"]
