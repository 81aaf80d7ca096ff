"""`/compare` and `/trends` over data-plane runs; a task run against a data-plane run refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from squall.dataplane.store import DataplaneStore
from squall.plugins.loader import load_registry
from squall.server.app import create_app
from squall.server.metrics import ObservedStore
from squall.server.settings import ServerSettings
from squall.testing.dataplane_runs import SyntheticTest, synthetic_run
from squall.testing.records import make_env, make_task

from .conftest import AUTH, TOKEN

pytestmark = pytest.mark.integration
BEFORE, AFTER = "a" * 32, "c" * 32
PLAN = "web"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    folder = tmp_path_factory.mktemp("compare-dataplane")
    store = ObservedStore.open(f"sqlite:///{folder / 'squall.db'}")
    assert isinstance(store, ObservedStore)
    slower = SyntheticTest(histograms={"latency": 0.011})
    DataplaneStore(store).save(synthetic_run(BEFORE, [SyntheticTest()], seed=1, title=PLAN))
    DataplaneStore(store).save(
        synthetic_run(AFTER, [slower], seed=2, title=PLAN, started_at=1_763_773_200.0)
    )
    task_run = store.create_run(make_task("a task"), make_env(), [])
    app = create_app(ServerSettings(token=TOKEN), store=store, registry=load_registry([]))
    try:
        with TestClient(app) as test_client:
            yield test_client, task_run
    finally:
        store.close()


def test_two_dataplane_runs_are_compared_per_test(client):
    http, _ = client
    answer = http.get("/api/v1/compare", params={"before": BEFORE[:8], "after": AFTER[:8]},
                      headers=AUTH)  # fmt: skip
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["kind"] == "dataplane" and body["verdict"] == "worse"
    (test,) = body["workloads"]
    assert test["label"] == "web (requests)" and test["throughput"]["metric"] == "throughput"
    (latency,) = test["series"]
    assert latency["name"] == "latency"
    assert [c["metric"] for c in latency["changes"]] == ["p50", "p95", "p99"]


def test_a_task_run_and_a_dataplane_run_are_refused(client):
    http, task_run = client
    answer = http.get("/api/v1/compare", params={"before": task_run, "after": BEFORE},
                      headers=AUTH)  # fmt: skip
    assert answer.status_code == 400
    assert "a task run and" in answer.json()["error"]
    missing = http.get("/api/v1/compare", params={"before": "0000dead", "after": BEFORE},
                       headers=AUTH)  # fmt: skip
    assert missing.status_code == 404


def test_a_plan_s_trends(client):
    http, _ = client
    answer = http.get("/api/v1/trends", params={"plan": PLAN}, headers=AUTH)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["runs"] == [BEFORE, AFTER]
    (trend,) = body["workloads"]
    assert [p["versus_previous"] for p in trend["points"]] == [None, "worse"]
    neither = http.get("/api/v1/trends", headers=AUTH)
    assert neither.status_code == 400 and "not both or none" in neither.json()["error"]
