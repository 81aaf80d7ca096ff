"""A million stored iterations (and an hour of probes on ten monitored targets) make a\nreport of bounded size that still renders."""

from __future__ import annotations

import pytest

from squall.api import reports as reports_api
from squall.results.records import RunStatus, WorkloadSummary
from squall.results.samples import FaultRecord, MonitorSample, SampleStore
from squall.results.store import Store
from squall.stats.summary import DurationSummary
from squall.testing.browser import chromium, console_errors, full_page_screenshot, wait_rendered
from squall.testing.records import make_env, make_task, stream

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.integration, pytest.mark.slow]

MILLION = 1_000_000
LIMIT = 5 * 1024 * 1024


def store_million(store: Store) -> str:
    task = make_task("million", workloads=1)
    run_id = store.create_run(task, make_env(), [])
    wid = store.add_workload(run_id, 0, 0, "million", task.subtasks[0].workloads[0])
    table = DurationSummary()
    for batch in stream(MILLION, batch=5000):
        for it in batch:
            table.add(it)
        store.add_iterations(wid, batch)
    rows = table.rows()
    total = rows[-1]
    summary = WorkloadSummary(
        subtask_index=0,
        workload_index=0,
        scenario="Dummy.dummy",
        status=RunStatus.FINISHED,
        start_time=None,
        load_duration=MILLION / 1000.0,
        full_duration=MILLION / 1000.0 + 1,
        total_iteration_count=MILLION,
        failed_iteration_count=0,
        min_duration=total.min,
        max_duration=total.max,
        pass_sla=True,
        sla_results=[],
        stats=rows,
        achieved_rate=1000.0,
        target_rate=1000.0,
        histograms=table.histograms(),
    )
    store.finish_workload(wid, summary)
    store.set_run_status(run_id, RunStatus.FINISHED, finished=True)
    store_monitors(store, run_id)
    return run_id


def store_monitors(store: Store, run_id: str, targets: int = 10, probes: int = 3600) -> None:
    """An hour of one-second probes on ``targets`` targets, each down once, under one fault."""
    t0 = store.get_run(run_id).created_at
    stored = SampleStore(store)
    for n in range(targets):
        stored.add_samples(
            run_id,
            [
                MonitorSample("api", f"service-{n}", t0 + i, 0.0, not 600 <= i < 660, 0.01)
                for i in range(probes)
            ],
        )
    stored.add_events(
        run_id,
        [
            FaultRecord("process", "all", "inject", t0 + 590),
            FaultRecord("process", "all", "restore", t0 + 650),
        ],
    )


def test_a_million_iterations_make_a_report_under_5_mb(tmp_path, capsys):
    with Store.open(f"sqlite:///{tmp_path / 'million.db'}") as store:
        run_id = store_million(store)
        path = reports_api.write_html_report(store, [run_id], tmp_path / "million.html")
    size = path.stat().st_size
    with capsys.disabled():
        print(f"\nreport of {MILLION:,} iterations: {size:,} bytes ({size / 2**20:.2f} MiB)")
    assert size <= LIMIT
    with chromium() as driver:
        driver.get(path.as_uri())
        assert wait_rendered(driver, timeout=120) == "rendered"
        assert console_errors(driver) == []
        full_page_screenshot(driver, ARTIFACTS / "report-million.png")


def store_small(store: Store, iterations: int = 10_000) -> str:
    """A finished run of ``iterations`` iterations (no summary: the report reads them)."""
    task = make_task("before and after", workloads=1)
    run_id = store.create_run(task, make_env(), [])
    wid = store.add_workload(run_id, 0, 0, "load", task.subtasks[0].workloads[0])
    for batch in stream(iterations, batch=5000):
        store.add_iterations(wid, batch)
    store.set_run_status(run_id, RunStatus.FINISHED, finished=True)
    return run_id


def test_two_runs_with_an_hour_of_probes_each_stay_small_side_by_side(tmp_path, capsys):
    with Store.open(f"sqlite:///{tmp_path / 'two.db'}") as store:
        runs = [store_small(store), store_small(store)]
        for run_id in runs:
            store_monitors(store, run_id, targets=30)
        path = reports_api.write_html_report(store, runs, tmp_path / "two.html")
    size = path.stat().st_size
    with capsys.disabled():
        print(f"\nreport of 2 runs, 30 targets probed for an hour each: {size:,} bytes")
    assert size <= LIMIT
    with chromium() as driver:
        driver.get(path.as_uri())
        assert wait_rendered(driver, timeout=120) == "rendered"
        assert console_errors(driver) == []
        probes = driver.execute_script(
            "return [...document.querySelectorAll('#report-resilience .chart')]"
            ".map(c => c.data.map(t => t.x.length))"
        )
        full_page_screenshot(driver, ARTIFACTS / "report-two-runs-probes.png")
    windows, *per_target = probes
    assert windows == [60, 30, 30]  # a row per target and run; each run's outage per target
    assert len(per_target) == 24  # the first targets drawn, every one in the tables
    assert max(n for chart in per_target for n in chart) <= 240  # binned per run
