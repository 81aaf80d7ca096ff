"""Data-plane runs over the API: validate, start (real netns runs), list, show, follow,
abort, report; a stored run's figures summarised; bad references and plans refused."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from squall.dataplane.aggregate import PairOutcome, RepetitionSummary, summarize
from squall.dataplane.providers.netns import orphan_namespaces, prefix_for
from squall.dataplane.results import RunRecord, run_dict
from squall.dataplane.store import DataplaneStore
from squall.dataplane.tools.base import Measurement
from squall.plugins.loader import load_registry
from squall.server.app import create_app
from squall.server.metrics import ObservedStore
from squall.server.settings import ServerSettings
from squall.stats.histogram import Histogram

from .conftest import AUTH, CANARY, TOKEN

pytestmark = pytest.mark.integration

STORED = "d" * 32
PLAN = """\
dataplane: 1
title: api {{ name }}
provider: netns
network_mode: single-network
scale: {servers_per_network: 1, clients_per_server: 1}
controller: {loss_timeout: 10, poll_wait: 2, start_lead: 0.3}
tests:
  - {name: rtt, tool: ping, duration: {{ duration }}, args: {interval: 0.05}}
"""


def stored_run() -> dict:
    hist = Histogram()
    hist.record_many([0.001, 0.002, 0.004])
    pair = PairOutcome(
        "c0", "s0", "hc0", "hs0", "ok", Measurement({"requests": 3.0}, {"latency": hist}), 0.001
    )
    summary = summarize(RepetitionSummary("web", "http", 0, 1.0, [pair]), headline="requests")
    plan = {"title": "stored", "cloud": {"auth": {"password": CANARY}}}
    record = RunRecord(
        STORED, "stored", "netns", "full", plan, 1.0, 2.0, "finished", tests=[summary]
    )
    return run_dict(record)


@pytest.fixture(scope="module")
def dp_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("dataplane-api")
    store = ObservedStore.open(f"sqlite:///{folder / 'squall.db'}")
    assert isinstance(store, ObservedStore)
    DataplaneStore(store).save(stored_run())
    settings = ServerSettings(token=TOKEN, dataplane_dir=folder / "runs", progress_interval=0.1)
    app = create_app(settings, store=store, registry=load_registry([]))
    try:
        with TestClient(app) as client:
            yield client
    finally:
        store.close()


def needs_netns() -> None:
    if os.geteuid() != 0:
        pytest.skip("the netns data plane needs root")


def test_a_stored_run_listed_shown_and_reported(dp_client):
    listed = dp_client.get("/api/v1/dataplane/runs", headers=AUTH)
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [STORED]
    shown = dp_client.get(f"/api/v1/dataplane/runs/{STORED[:6]}", headers=AUTH)
    assert shown.status_code == 200
    run = shown.json()
    assert run["status"] == "finished" and not run["running_here"]
    (test,) = run["tests"]
    assert test["counters"]["requests"] == 3.0
    assert test["histograms"]["latency"]["count"] == 3
    assert test["histograms"]["latency"]["percentiles"]["99"] == pytest.approx(0.004, rel=0.01)
    assert CANARY not in shown.text
    report = dp_client.get(f"/api/v1/dataplane/runs/{STORED}/report", headers=AUTH)
    assert report.status_code == 200 and 'id="dataplane-web-1"' in report.text
    assert CANARY not in report.text
    exported = dp_client.get(f"/api/v1/dataplane/runs/{STORED}/export", headers=AUTH)
    assert exported.json()["schema"] == "squall.dataplane.run/1"
    encoded = exported.json()["tests"][0]["histograms"]["latency"]["encoded"]
    assert Histogram.decode(encoded).count == 3
    assert CANARY not in exported.text
    assert exported.headers["content-type"] == "application/json"
    disposition = f'attachment; filename="squall-{STORED[:8]}.json"'
    assert exported.headers["content-disposition"] == disposition
    progress = dp_client.get("/api/v1/dataplane/runs/last/progress", headers=AUTH).json()
    assert progress["run_id"] == STORED and not progress["running_here"]
    events = dp_client.get(f"/api/v1/dataplane/runs/{STORED}/events", headers=AUTH)
    assert "event: end" in events.text


def test_bad_references_and_plans_are_refused(dp_client):
    for ref in ("0000", "zz", "%25", "abc"):
        response = dp_client.get(f"/api/v1/dataplane/runs/{ref}", headers=AUTH)
        assert response.status_code == 404, ref
        assert response.json()["error"]
    abort = dp_client.post(f"/api/v1/dataplane/runs/{STORED}/abort", headers=AUTH)
    assert abort.status_code == 400
    assert "not running in this server" in abort.json()["error"]
    bad = dp_client.post(
        "/api/v1/dataplane/validate", headers=AUTH, json={"plan": "dataplane: 1\ntests: 3\n"}
    )
    assert bad.status_code == 400 and bad.json()["problems"]
    missing = dp_client.post(
        "/api/v1/dataplane/validate", headers=AUTH, json={"plan": PLAN, "plan_args": "name=x"}
    )
    assert missing.status_code == 400 and "duration" in missing.text


def test_validate_counts_what_would_be_staged(dp_client):
    body = {"plan": PLAN, "plan_args": "name=v,duration=1"}
    answer = dp_client.post("/api/v1/dataplane/validate", headers=AUTH, json=body)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["title"], found["provider"], found["network_mode"]) == (
        "api v", "netns", "single-network",
    )  # fmt: skip
    assert (found["servers"], found["clients"], found["networks"]) == (1, 1, 1)
    assert found["tests"] == ["rtt"]


def wait_for(client: TestClient, run_id: str, done: bool, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = client.get(f"/api/v1/dataplane/runs/{run_id}/progress", headers=AUTH).json()
        if (not progress["running_here"]) == done and (done or progress["tests_started"]):
            return progress
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} still {progress}")


def test_a_plan_started_here_runs_and_is_stored(dp_client):
    needs_netns()
    body = {"plan": PLAN, "plan_args": "name=run,duration=1"}
    started = dp_client.post("/api/v1/dataplane/runs", headers=AUTH, json=body)
    assert started.status_code == 202, started.text
    run_id = started.json()["run_id"]
    with dp_client.stream("GET", f"/api/v1/dataplane/runs/{run_id}/events", headers=AUTH) as sse:
        text = "".join(sse.iter_text())
    assert "event: progress" in text and "event: end" in text
    progress = wait_for(dp_client, run_id, done=True)
    assert progress["status"] == "finished", progress
    assert any("agents registered" in line for line in progress["log"])
    run = dp_client.get(f"/api/v1/dataplane/runs/{run_id}", headers=AUTH).json()
    (rtt,) = run["tests"]
    assert rtt["pairs"] == 1 and rtt["failed_pairs"] == 0 and rtt["histograms"]["rtt"]["count"]
    assert not [n for n in orphan_namespaces() if n.startswith(prefix_for(run_id))]


def test_a_run_aborted_mid_test_removes_what_it_staged(dp_client):
    needs_netns()
    body = {"plan": PLAN, "plan_args": "name=abort,duration=30"}
    run_id = dp_client.post("/api/v1/dataplane/runs", headers=AUTH, json=body).json()["run_id"]
    listed = dp_client.get("/api/v1/dataplane/runs", headers=AUTH).json()
    assert any(r["id"] == run_id and r["running_here"] for r in listed)
    wait_for(dp_client, run_id, done=False)  # its clients run the test
    assert [n for n in orphan_namespaces() if n.startswith(prefix_for(run_id))]
    metrics = dp_client.get("/metrics", headers=AUTH).text
    assert "squall_dataplane_runs_active 1.0" in metrics
    assert f'squall_dataplane_tests_started{{run="{run_id}",test="rtt #1"}} 1.0' in metrics
    aborted = dp_client.post(f"/api/v1/dataplane/runs/{run_id}/abort", headers=AUTH)
    assert aborted.status_code == 200, aborted.text
    progress = wait_for(dp_client, run_id, done=True, timeout=60)
    assert progress["status"] == "aborted" and "interrupted" in (progress["error"] or "")
    assert not [n for n in orphan_namespaces() if n.startswith(prefix_for(run_id))]


def test_a_plan_that_cannot_start_is_refused_with_why(dp_client, tmp_path: Path):
    plan = PLAN.replace("provider: netns", "provider: openstack")
    body = {"plan": plan, "plan_args": "name=x,duration=1"}
    answer = dp_client.post("/api/v1/dataplane/runs", headers=AUTH, json=body)
    assert answer.status_code == 400
    assert "could not start" in answer.json()["error"]
