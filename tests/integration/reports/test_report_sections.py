"""The report's resilience and data-plane sections in real headless Chromium.

Resilience: a real run whose ``resilience`` section kills a local TCP server under
load and probes it (the engine's own monitors, disruptor and stored events), and a
Dummy run with a stored keystone outage (exact windows to check the drawing against).
Data plane: a real netns run (nginx, ping) stored by ``squall dataplane run``'s code.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from squall.api import reports as reports_api
from squall.dataplane.loader import load_plan_text
from squall.dataplane.run import RunOptions, run_plan
from squall.results.samples import FaultRecord, MonitorSample, SampleStore
from squall.results.store import Store
from squall.testing.browser import chromium, console_errors, full_page_screenshot, wait_rendered

from ..engine.test_resilience import run as run_task
from ..engine.test_resilience import server  # noqa: F401  (a fixture)
from .conftest import ARTIFACTS, run_sample

pytestmark = [pytest.mark.integration, pytest.mark.browser]

PLAN = """\
dataplane: 1
title: report sections
provider: netns
network_mode: single-router
scale: {servers_per_network: 3, clients_per_server: 1}
controller: {loss_timeout: 10, poll_wait: 2, start_lead: 0.3}
tests:
  - {name: web, tool: http, duration: 2, warmup: 0.5, report_interval: 0.5,
     args: {connections: 2, rate: 200, size: 1024}}
  - {name: rtt, tool: ping, duration: 1, args: {interval: 0.05}}
"""


def store_outage(store: Store, run_id: str) -> None:
    t0 = store.get_run(run_id).created_at
    samples = []
    for i in range(60):
        at = t0 + i * 0.1
        down = 20 <= i < 30
        samples.append(MonitorSample("api", "keystone", at, 0.0, not down, None if down else 0.01))
        samples.append(MonitorSample("api", "nova", at, 0.0, True, 0.02))
    stored = SampleStore(store)
    stored.add_samples(run_id, samples)
    stored.add_events(
        run_id,
        [
            FaultRecord("process", "keystone", "inject", t0 + 1.9),
            FaultRecord("process", "keystone", "restore", t0 + 2.8),
        ],
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    if os.geteuid() != 0:
        pytest.skip("the netns data plane needs root")
    folder = tmp_path_factory.mktemp("sections")
    url = f"sqlite:///{folder / 'squall.db'}"
    with Store.open(url) as store:
        task_run = run_sample(store, "dummy-constant.yaml", "times=300,concurrency=5,sleep=0.01")
        store_outage(store, task_run)
        plan = load_plan_text(PLAN, "sections.yaml")
        record = asyncio.run(run_plan(plan, RunOptions(folder / "dataplane", db=url)))
        assert record.status == "finished", record.error
        yield store, task_run, record.run


def open_page(path: Path, screenshot: str) -> dict[str, object]:
    with chromium() as driver:
        driver.get(path.as_uri())
        state = wait_rendered(driver, timeout=60)
        found = driver.execute_script(
            """
            const charts = [...document.querySelectorAll('.chart')];
            return {
              charts: charts.length,
              drawn: charts.filter(c => c.classList.contains('js-plotly-plot')
                                        && c.querySelector('svg.main-svg')).length,
              titles: charts.map(c => c.layout && c.layout.title && c.layout.title.text),
              heatmaps: document.querySelectorAll('.heatmaplayer image, .hm image').length,
              bars: document.querySelectorAll('.barlayer .point').length,
              resources: performance.getEntriesByType('resource').map(r => r.name),
              sections: [...document.querySelectorAll('section.block')].map(s => s.id),
            };
            """
        )
        errors = console_errors(driver)
        full_page_screenshot(driver, ARTIFACTS / screenshot)
    return {"state": state, "errors": errors, **found}


def test_resilience_and_data_plane_sections_render(runs, tmp_path):
    store, task_run, dataplane_run = runs
    path = reports_api.write_html_report(
        store, [task_run, dataplane_run[:12]], tmp_path / "sections.html"
    )
    page = open_page(path, "report-sections.png")
    assert page["state"] == "rendered" and page["errors"] == []
    assert page["charts"] == page["drawn"] > 0
    assert page["resources"] == []
    sections = page["sections"]
    assert "report-resilience" in sections and "report-data-plane-runs" in sections
    assert "dataplane-web-1" in sections and "dataplane-rtt-1" in sections
    titles = page["titles"]
    for title in ("Downtime windows", "Monitor probes", "Throughput per report interval"):
        assert title in titles
    assert sum(1 for t in titles if t and "source × destination" in t) == 2
    assert page["heatmaps"] == 2  # both heat maps drawn as images
    assert page["bars"] >= 3  # two targets probed, one window down


KILLED = """
squall: 1
title: killed under load
resilience:
  monitors:
    - instance: {{tcp: ["127.0.0.1:{port}"], period: 0.2, timeout: 0.2}}
  disruptions:
    - process: {{name: {tag}, action: kill, start: [sh, -c, {start}]}}
      at: 1
      down: 1.5
subtasks:
  - title: load
    workloads:
      - scenario: Dummy.dummy
        args: {{sleep: 0.05}}
        runner: {{type: constant_for_duration, duration: 4, concurrency: 2}}
"""


def test_a_real_fault_under_load_is_drawn(runs, server, tmp_path):  # noqa: F811
    store, _, _ = runs
    port, tag, start = server
    _, outcome = run_task(store, KILLED.format(port=port, tag=tag, start=json.dumps(start)))
    path = reports_api.write_html_report(store, [outcome.run_id], tmp_path / "killed.html")
    page = open_page(path, "report-resilience.png")
    assert page["state"] == "rendered" and page["errors"] == []
    assert page["charts"] == page["drawn"] > 0
    assert "Downtime windows" in page["titles"] and "Monitor probes" in page["titles"]
    assert page["bars"] >= 2  # the target probed, and down once
    html = path.read_text()
    assert f"tcp:127.0.0.1:{port}" in html and "process:kill" in html


def test_a_data_plane_run_alone(runs, tmp_path):
    store, _, dataplane_run = runs
    path = reports_api.write_html_report(store, [dataplane_run], tmp_path / "dataplane.html")
    page = open_page(path, "report-dataplane.png")
    assert page["state"] == "rendered" and page["errors"] == []
    assert page["charts"] == page["drawn"] > 0
    assert "workload-0-0" not in page["sections"] and "empty" not in page["sections"]
