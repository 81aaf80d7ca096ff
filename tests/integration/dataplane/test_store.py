"""Data-plane runs in the results store: SQLite and the real PostgreSQL."""

from __future__ import annotations

import pytest

from squall.dataplane.aggregate import PairOutcome, RepetitionSummary, summarize
from squall.dataplane.results import RunRecord, run_dict
from squall.dataplane.store import DataplaneStore
from squall.dataplane.tools.base import Measurement
from squall.errors import StoreError
from squall.results.store import Store
from squall.stats.histogram import Histogram

pytestmark = [pytest.mark.integration]


def _record(run: str, status: str = "finished") -> dict:
    hist = Histogram()
    hist.record_many([0.001, 0.002, 0.003])
    pair = PairOutcome(
        "c", "s", "hc", "hs", "ok", Measurement({"requests": 3.0}, {"latency": hist}), 0.001
    )
    summary = summarize(RepetitionSummary("web", "http", 0, 1.0, [pair]), headline="requests")
    record = RunRecord(run, "t", "netns", "full", {"tests": []}, 1.0, 2.0, status, tests=[summary])
    return run_dict(record)


def _check(store: Store) -> None:
    dp = DataplaneStore(store)
    dp.save(_record("a" * 32, status="running"))
    dp.save(_record("a" * 32))  # saved again at the end: replaced, not doubled
    dp.save(_record("b" * 32, status="partial"))
    assert [(r["run"][:1], r["status"]) for r in dp.runs()] == [("a", "finished"), ("b", "partial")]
    run = dp.get("bbb")
    assert len(run["tests"]) == 1
    latency = Histogram.decode(run["tests"][0]["histograms"]["latency"]["encoded"])
    assert latency.count == 3
    assert run["tests"][0]["matrix"]["values"] == [[3.0]]
    with pytest.raises(StoreError, match="0 data-plane runs"):
        dp.get("zzz")


def test_sqlite(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'r.db'}") as store:
        _check(store)


def test_postgresql(postgres_schema_url):
    with Store.open(postgres_schema_url) as store:
        _check(store)


def test_status_shows_stored_runs_beside_the_work_directory(tmp_path):
    from typer.testing import CliRunner

    from squall.cli.dataplane import app
    from squall.dataplane.results import write_results

    db = f"sqlite:///{tmp_path / 'r.db'}"
    with Store.open(db) as store:
        DataplaneStore(store).save(_record("d" * 32, status="partial"))
    workdir = tmp_path / "work"
    local = RunRecord("e" * 32, "local only", "netns", "full", {"tests": []}, 3.0, 4.0, "finished")
    (workdir / local.run).mkdir(parents=True)
    write_results(local, workdir / local.run)
    runner = CliRunner()
    listing = runner.invoke(app, ["status", "--db", db, "--workdir", str(workdir)])
    assert listing.exit_code == 0, listing.output
    assert "dddddddddddd" in listing.output and "partial" in listing.output
    assert "eeeeeeeeeeee" in listing.output and "local only" in listing.output
    shown = runner.invoke(app, ["status", "ddd", "--db", db, "--workdir", str(workdir)])
    assert shown.exit_code == 0, shown.output
    assert "the results store" in shown.output
    assert "1/1 test repetitions done" in shown.output
    assert "web" in shown.output
