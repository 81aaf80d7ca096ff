"""The HTML report opened in real headless Chromium: it draws every chart, offline, cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from squall.api import compare as compare_api
from squall.api import reports as reports_api
from squall.testing.browser import chromium, console_errors, full_page_screenshot, wait_rendered

from .conftest import ARTIFACTS

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
