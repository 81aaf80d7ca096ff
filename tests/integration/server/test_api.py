"""The API end to end on a real store: results, reports, tasks started and followed live."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest

from squall.results.records import RunStatus
from squall.results.samples import MonitorSample, SampleStore
from squall.testing.records import make_env, make_task, workload

from .conftest import AUTH, CANARY, SAMPLES

pytestmark = pytest.mark.integration


def get(client, path, **kwargs):
    return client.get(path, headers=AUTH, **kwargs)


def test_list_and_show_runs(client, stored):
    _, runs = stored
    listed = get(client, "/api/v1/runs").json()
    assert {r["id"] for r in listed} >= set(runs.values())
    shown = get(client, f"/api/v1/runs/{runs['failures'][:8]}").json()
    assert shown["id"] == runs["failures"]
    assert shown["workload_results"][0]["failed"] > 0
    assert shown["workload_results"][0]["stats"][-1]["name"].startswith("total")


def test_unknown_runs_are_404(client):
    for ref in ("0000beef", "nope"):
        response = get(client, f"/api/v1/runs/{ref}")
        assert response.status_code == 404
        assert response.json()["error"]


def test_report_and_exports(client, stored):
    _, runs = stored
    report = get(client, f"/api/v1/runs/{runs['a']}/report")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert 'id="plotly-gz"' in report.text
    exported = get(client, f"/api/v1/runs/{runs['a']}/export", params={"type": "rally-json"})
    assert json.loads(exported.text)["info"]["format_version"] == "1.2"
    bad = get(client, f"/api/v1/runs/{runs['a']}/export", params={"type": "nope"})
    assert bad.status_code == 400 and "nope" in bad.json()["error"]
    own = get(client, f"/api/v1/runs/{runs['a']}/export").json()
    assert own["schema"] == "squall.run/2"
    v1 = get(client, f"/api/v1/runs/{runs['a']}/export", params={"option": ["schema=1"]})
    assert v1.json()["schema"] == "squall.run/1"
    wrong = get(client, f"/api/v1/runs/{runs['a']}/export", params={"option": "schema=3"})
    assert wrong.status_code == 400 and "schema" in wrong.json()["error"]


#: each exporter's media type as sent (a text type says its charset) and file suffix
EXPORTED_AS = {
    "json": ("application/json", "json"),
    "rally-json": ("application/json", "json"),
    "junit-xml": ("application/xml", "xml"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "opensearch-bulk": ("application/x-ndjson", "ndjson"),
}


def test_an_export_is_sent_as_its_type_under_a_file_name(client, stored):
    _, runs = stored
    for kind, (media_type, extension) in EXPORTED_AS.items():
        answer = get(client, f"/api/v1/runs/{runs['a'][:8]}/export", params={"type": kind})
        assert answer.status_code == 200, kind
        assert answer.headers["content-type"] == media_type, kind
        disposition = f'attachment; filename="squall-{runs["a"][:8]}.{extension}"'
        assert answer.headers["content-disposition"] == disposition, kind


def test_compare_and_trends(client, stored):
    _, runs = stored
    result = get(client, "/api/v1/compare", params={"before": runs["a"], "after": runs["b"]}).json()
    assert result["verdict"] in ("better", "worse", "no evidence")
    assert result["workloads"][0]["series"][0]["changes"][0]["metric"] == "p50"
    different = get(
        client, "/api/v1/compare", params={"before": runs["a"], "after": runs["failures"]}
    )
    assert different.status_code == 400 and "different tasks" in different.json()["error"]
    trends = get(client, "/api/v1/trends", params={"tag": "dummy"}).json()
    assert len(trends["runs"]) >= 3
    missing = get(client, "/api/v1/trends", params={"tag": "no-such-tag"})
    assert missing.status_code == 400


def test_plugins(client):
    plugins = get(client, "/api/v1/plugins", params={"family": "runner"}).json()
    assert {"constant", "rps", "serial"} <= {p["name"] for p in plugins}


def test_validate_reports_every_problem(client):
    good = (SAMPLES / "dummy-hooks.yaml").read_text()
    ok = client.post("/api/v1/tasks/validate", headers=AUTH, json={"task": good})
    assert ok.status_code == 200 and ok.json()["workloads"] >= 1
    bad = "squall: 1\ntitle: t\nsubtasks:\n  - title: s\n    workloads:\n      - scenario: Dummy.nope\n        runner: {type: constant, times: -1}\n"
    answer = client.post("/api/v1/tasks/validate", headers=AUTH, json={"task": bad})
    assert answer.status_code == 400
    assert len(answer.json()["problems"]) >= 2


def test_start_follow_live_and_metrics(client):
    task = (SAMPLES / "dummy-constant.yaml").read_text()
    started = client.post(
        "/api/v1/tasks",
        headers=AUTH,
        json={"task": task, "task_args": "times=300,concurrency=5,sleep=0.02", "tags": ["live"]},
    )
    assert started.status_code == 202
    run_id = started.json()["run_id"]
    events = []
    with client.stream("GET", f"/api/v1/runs/{run_id}/events", headers=AUTH) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        name = None
        for line in stream.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.append((name, json.loads(line[6:])))
                if name == "end":
                    break
    names = [n for n, _ in events]
    assert names[-1] == "end" and "progress" in names
    final = events[-1][1]
    assert final["status"] == "finished"
    assert final["workloads"][0]["done"] == 300 and final["workloads"][0]["finished"]
    running = [e for n, e in events if n == "progress" and e["workloads"]]
    assert running and running[0]["workloads"][0]["done"] < 300  # seen while it ran
    metrics = get(client, "/metrics").text
    count = next(
        line for line in metrics.splitlines()
        if line.startswith('squall_iteration_duration_seconds_count{outcome="success"}')
    )  # fmt: skip
    assert float(count.split()[-1]) >= 300
    assert "squall_runs_active" in metrics


def test_abort_a_running_task(client):
    task = (SAMPLES / "dummy-constant.yaml").read_text()
    started = client.post("/api/v1/tasks", headers=AUTH,
                          json={"task": task, "task_args": "times=100000,concurrency=2,sleep=0.05"})  # fmt: skip
    run_id = started.json()["run_id"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        progress = get(client, f"/api/v1/runs/{run_id}/progress").json()
        if progress["workloads"] and progress["workloads"][0]["done"] > 0:
            break
        time.sleep(0.1)
    store = client.app.state.store
    now = time.time()
    SampleStore(store).add_samples(
        run_id,
        [
            MonitorSample("api", "nova", now - 2, 0.0, True, latency=0.05),
            MonitorSample("api", "nova", now - 1, 0.0, False, latency=1.5),
            MonitorSample("api", "keystone", now - 1, 0.0, True, latency=0.01),
        ],
    )
    live_metrics = get(client, "/metrics").text
    assert f'squall_monitor_ok{{monitor="api",run="{run_id}",target="nova"}} 0.0' in live_metrics
    assert (
        f'squall_monitor_ok{{monitor="api",run="{run_id}",target="keystone"}} 1.0' in live_metrics
    )
    assert (
        f'squall_monitor_latency_seconds{{monitor="api",run="{run_id}",target="nova"}} 1.5'
        in live_metrics
    )
    assert f'squall_iterations{{run="{run_id}"' in live_metrics
    assert f'squall_iteration_rate{{run="{run_id}"' in live_metrics
    assert client.post(f"/api/v1/runs/{run_id}/abort", headers=AUTH).status_code == 200
    while time.monotonic() < deadline:
        if not get(client, f"/api/v1/runs/{run_id}/progress").json()["running_here"]:
            break
        time.sleep(0.2)
    assert get(client, f"/api/v1/runs/{run_id}").json()["status"] == "aborted"
    assert client.delete(f"/api/v1/runs/{run_id}", headers=AUTH).status_code == 200
    assert get(client, f"/api/v1/runs/{run_id}").status_code == 404


def test_a_canary_password_never_leaves_the_server(client, stored):
    store, _ = stored
    env = make_env()
    env = replace(env, cloud={"name": "c", "auth": {"username": "u", "password": CANARY},
                              "url": f"https://u:{CANARY}@keystone:5000/v3"})  # fmt: skip
    task = make_task("canary", workloads=1)
    run_id = store.create_run(task, env, ["canary"])
    wid = store.add_workload(run_id, 0, 0, "canary", task.subtasks[0].workloads[0])
    store.add_iterations(wid, workload(20))
    store.set_run_status(run_id, RunStatus.FINISHED, finished=True)
    paths = [f"/api/v1/runs/{run_id}", f"/api/v1/runs/{run_id}/report",
             f"/api/v1/runs/{run_id}/progress", "/api/v1/runs", "/metrics"]  # fmt: skip
    kinds = ("json", "rally-json", "junit-xml", "csv", "opensearch-bulk")
    paths += [f"/api/v1/runs/{run_id}/export?type={kind}" for kind in kinds]
    for path in paths:
        response = get(client, path)
        assert response.status_code == 200, path
        assert CANARY not in response.text, path


def test_cleanup_needs_something_to_clean(client):
    answer = client.post("/api/v1/cleanup", headers=AUTH, json={})
    assert answer.status_code == 400 and "say what to clean" in answer.json()["error"]
