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
    _check_states(store)


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


def _partial_record(run: str) -> dict:
    """Two of five planned repetitions done; the second lost its client ``client-7``."""
    pairs = [
        [PairOutcome("c", "s", "hc", "hs", "ok", Measurement({"requests": 3.0}, {}), 0.001)],
        [PairOutcome("client-7", "s", "hc", "hs", "lost", error="no result")],
    ]
    summaries = [
        summarize(RepetitionSummary("web", "http", rep, 1.0, p), headline="requests")
        for rep, p in enumerate(pairs)
    ]
    plan = {"tests": [{"name": "web", "repetitions": 3}, {"name": "tcp", "repetitions": 2}]}
    record = RunRecord(run, "half", "netns", "full", plan, 1.0, None, "partial", tests=summaries)
    return run_dict(record)


def _check_states(store: Store) -> None:
    dp = DataplaneStore(store)
    dp.save(_partial_record("f" * 32))
    dp.save(_record("a" * 32))
    states = dp.test_states()
    assert [(s.test, s.repetition, s.partial, s.failed_agents) for s in states["f" * 32]] == [
        ("web", 0, False, ()),
        ("web", 1, True, ("client-7",)),
    ]
    assert [s.partial for s in states["a" * 32]] == [False]


def test_status_lists_a_stored_runs_tests_and_failed_agents(tmp_path):
    from typer.testing import CliRunner

    from squall.api.dataplane import list_runs
    from squall.cli.dataplane import app

    db = f"sqlite:///{tmp_path / 'r.db'}"
    with Store.open(db) as store:
        DataplaneStore(store).save(_partial_record("f" * 32))
        (view,), problems = list_runs(tmp_path / "work", store)
    assert problems == []
    assert view.run_dir is None  # only in the store
    assert (view.done, view.planned, view.partial) == (2, 5, 1)
    assert view.failed_agents == ["client-7"]
    runner = CliRunner()
    args = ["--db", db, "--workdir", str(tmp_path / "work")]
    listing = runner.invoke(app, ["status", *args], env={"COLUMNS": "200"})
    assert listing.exit_code == 0, listing.output
    assert "2/5 (1 partial)" in listing.output and "client-7" in listing.output
    shown = runner.invoke(app, ["status", "fff", *args])
    assert "2/5 (1 partial) test repetitions done" in shown.output
