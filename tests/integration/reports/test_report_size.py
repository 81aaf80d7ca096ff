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
