"""Two real netns runs of one plan, compared test by test from the results store (what
`squall task compare` does with them). Figures on a shared machine are noise: the
assertions check what is compared and how, not which way it goes."""

from __future__ import annotations

import asyncio

import pytest

from squall.api import compare as compare_api
from squall.api.dataplane_compare import DataplaneComparison
from squall.dataplane.loader import load_plan_text
from squall.dataplane.run import RunOptions, run_plan
from squall.results.store import Store
from squall.stats.compare import Verdict

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PLAN = """\
dataplane: 1
title: compare me
provider: netns
network_mode: single-network
scale: {servers_per_network: 1, clients_per_server: 1}
controller: {loss_timeout: 10, poll_wait: 2, start_lead: 0.3}
tests:
  - {name: web, tool: http, duration: 3, warmup: 0.5, report_interval: 0.5,
     args: {connections: 4, rate: 400, size: 2048}}
  - {name: disk, tool: fio, duration: 2, args: {size: 8M, iodepth: 2, rw: randrw}}
"""


def test_two_netns_runs_compared_per_test(workdir, tmp_path):
    db = f"sqlite:///{tmp_path / 'squall.db'}"
    plan = load_plan_text(PLAN, "compare.yaml")
    runs = [asyncio.run(run_plan(plan, RunOptions(workdir, db=db))).run for _ in range(2)]
    with Store.open(db) as store:
        result = compare_api.compare_any(store, runs[0], runs[1])
        trends = compare_api.plan_trends(store, "compare me")
    assert isinstance(result, DataplaneComparison)
    assert result.unmatched == []
    tests = {t.label: t for t in result.workloads}
    assert set(tests) == {"web (requests)", "disk (read_iops)"}
    web = tests["web (requests)"]
    assert web.throughput.before == pytest.approx(400, rel=0.2)  # the rate asked for
    series = {s.name: s.changes for s in web.series}
    assert set(series) == {"bytes", "latency", "errors"}
    for change in series["latency"]:  # 5 half-second intervals: judged
        assert change.before and change.after and change.p_value is not None
    disk = {s.name for s in tests["disk (read_iops)"].series}
    assert {"write_iops", "read_clat", "write_clat"} <= disk  # each direction apart
    assert result.verdict in tuple(Verdict)
    assert [p.run_id for p in trends.workloads[0].points] == runs
