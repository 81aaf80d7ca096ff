"""The HTML report opened in real headless Chromium: it draws every chart, offline, cleanly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from squall.api import compare as compare_api
from squall.api import reports as reports_api
from squall.results.samples import FaultRecord, MonitorSample, SampleStore
from squall.results.store import Store
from squall.testing.browser import chromium, console_errors, full_page_screenshot, wait_rendered

from .conftest import ARTIFACTS, run_sample

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def open_report(path: Path, screenshot: str) -> dict[str, object]:
    with chromium() as driver:
        driver.get(path.as_uri())
        state = wait_rendered(driver)
        found = driver.execute_script(
            """
            const charts = [...document.querySelectorAll('.chart')];
            return {
              charts: charts.length,
              drawn: charts.filter(c => c.classList.contains('js-plotly-plot') && c.querySelector('svg.main-svg')).length,
              traces: charts.map(c => (c.data || []).length),
              announced: Number(document.body.dataset.charts || -1),
              resources: performance.getEntriesByType('resource').map(r => r.name),
              text: document.querySelector('main').textContent,
            };
            """
        )
        errors = console_errors(driver)
        full_page_screenshot(driver, ARTIFACTS / screenshot)
    return {"state": state, "errors": errors, **found}


def test_one_run_with_hooks_and_failures(sample_runs, tmp_path):
    store, runs = sample_runs
    path = reports_api.write_html_report(store, [runs["failures"]], tmp_path / "failures.html")
    page = open_report(path, "report-failures.png")
    assert page["state"] == "rendered"
    assert page["errors"] == []
    assert page["charts"] == page["drawn"] == page["announced"] > 0
    assert all(count > 0 for count in page["traces"])
    assert page["resources"] == []  # nothing fetched: the page is self-contained
    assert "Traceback" in page["text"]  # failures carry their tracebacks
    assert "DummyException" in page["text"] or "Exception" in page["text"]


def test_hooks_are_drawn_on_the_time_charts(sample_runs, tmp_path):
    store, runs = sample_runs
    path = reports_api.write_html_report(store, [runs["hooks"]], tmp_path / "hooks.html")
    with chromium() as driver:
        driver.get(path.as_uri())
        assert wait_rendered(driver) == "rendered"
        bands = driver.execute_script(
            "return [...document.querySelectorAll('.chart')]"
            ".map(c => (c.layout && c.layout.shapes || []).length)"
        )
        assert console_errors(driver) == []
        full_page_screenshot(driver, ARTIFACTS / "report-hooks.png")
    assert max(bands) > 0


def test_two_runs_overlaid(sample_runs, tmp_path):
    store, runs = sample_runs
    path = reports_api.write_html_report(
        store, [runs["fast"], runs["slow"]], tmp_path / "overlay.html"
    )
    page = open_report(path, "report.png")
    assert page["state"] == "rendered" and page["errors"] == []
    assert page["charts"] == page["drawn"] > 0
    assert min(page["traces"]) >= 2  # every chart shows both runs
    assert runs["fast"][:8] in page["text"] and runs["slow"][:8] in page["text"]


def test_scenario_output_of_every_kind(sample_runs, tmp_path):
    store, runs = sample_runs
    path = reports_api.write_html_report(store, [runs["output"]], tmp_path / "output.html")
    page = open_report(path, "report-output.png")
    assert page["state"] == "rendered" and page["errors"] == []
    assert page["charts"] == page["drawn"] == page["announced"]
    for title in ("Additive StatsTable", "Additive Lines", "Complete Lines", "Complete Table"):
        assert title in page["text"]


def test_trends_page(sample_runs, tmp_path):
    store, _ = sample_runs
    trends = compare_api.trends(store, "dummy")
    path = reports_api.write_trends_page(trends, tmp_path / "trends.html")
    page = open_report(path, "trends.png")
    assert page["state"] == "rendered" and page["errors"] == []
    assert page["charts"] == page["drawn"] == 2 * len(trends.workloads) > 0
    assert "Dummy.dummy at constant concurrency: [0.0] Dummy.dummy" in page["text"]


def add_resilience(store: Store, run_id: str, outage: float) -> None:
    """Probes of two targets from 1 s before the load to 3 s after its start; keystone down
    for ``outage`` seconds under a fault 0.5 s into the load."""
    (workload,) = store.get_run(run_id).workloads
    assert workload.summary is not None and workload.summary.start_time is not None
    start = workload.summary.start_time
    samples = []
    for i in range(80):
        at = start - 1 + i * 0.05
        down = start + 0.5 <= at < start + 0.5 + outage
        samples.append(MonitorSample("api", "keystone", at, 0.0, not down, None if down else 0.01))
        samples.append(MonitorSample("api", "nova", at, 0.0, True, 0.02 + outage * (i % 3) / 10))
    stored = SampleStore(store)
    stored.add_samples(run_id, samples)
    stored.add_events(
        run_id,
        [
            FaultRecord("kill", "keystone", "inject", start + 0.45),
            FaultRecord("kill", "keystone", "restore", start + 0.5 + outage),
        ],
    )


@pytest.fixture(scope="module")
def before_after(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, list[str]]]:
    """Two runs of one task with a fault each: a short outage before, a longer one after."""
    path = tmp_path_factory.mktemp("resilience") / "squall.db"
    with Store.open(f"sqlite:///{path}") as store:
        runs = []
        for outage in (0.3, 0.8):
            run_id = run_sample(store, "dummy-constant.yaml", "times=200,concurrency=10")
            add_resilience(store, run_id, outage)
            runs.append(run_id)
        yield store, runs


def test_two_runs_with_faults_side_by_side(before_after, tmp_path):
    store, runs = before_after
    path = reports_api.write_html_report(store, runs, tmp_path / "resilience.html")
    page = open_report(path, "report-resilience-two-runs.png")
    assert page["state"] == "rendered" and page["errors"] == []
    assert page["charts"] == page["drawn"] == page["announced"]
    with chromium() as driver:
        driver.get(path.as_uri())
        assert wait_rendered(driver) == "rendered"
        charts = driver.execute_script(
            """
            return [...document.querySelectorAll('#report-resilience .chart')].map(c => ({
              title: c.layout.title.text,
              names: c.data.map(t => t.name),
              bars: c.querySelectorAll('.bars .point').length,
            }));
            """
        )
        assert console_errors(driver) == []
    titles = [c["title"] for c in charts]
    assert titles == ["Downtime windows", "Probes of api:keystone", "Probes of api:nova"]
    short = [r[:8] for r in runs]
    windows, keystone, _ = charts
    assert [f"{r} down" for r in short] == [n for n in windows["names"] if n.endswith("down")]
    assert windows["bars"] >= 4 + 2  # every (target, run) row probed, each run's outage
    assert [n for n in keystone["names"] if not n.endswith("failed")] == short
    assert all(r in page["text"] for r in short)
