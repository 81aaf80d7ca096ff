"""Stored data-plane runs read as compared: merged histograms, pooled repetitions, directions."""

from __future__ import annotations

import pytest

from squall.api.compare import compare_any, find_any
from squall.api.dataplane_compare import (
    DataplaneComparison,
    compare_dataplane,
    sides_of,
    trend_point,
)
from squall.dataplane.store import DataplaneStore
from squall.errors import ConfigError, StoreError
from squall.results.store import Store
from squall.stats.compare import CompareOptions, Verdict
from squall.stats.histogram import Histogram
from squall.stats.trends import RunBrief
from squall.testing.dataplane_runs import SyntheticTest, synthetic_run

OPTIONS = CompareOptions()
FIO = SyntheticTest(
    name="disk",
    tool="fio",
    headline="read_iops",
    counters={"read_iops": 5000.0, "write_iops": 2000.0},
    histograms={"read_clat": 0.002, "write_clat": 0.004},
)


def run(run_id: str, seed: int, *tests: SyntheticTest) -> dict:
    return synthetic_run(run_id.ljust(32, "0"), list(tests) or [SyntheticTest()], seed=seed)


def test_percentiles_come_from_the_merged_histograms_not_averaged():
    stored = run("a1", 1)
    (test,) = stored["tests"]
    merged = Histogram()
    for interval in test["intervals"]:
        merged.merge_encoded(interval["histograms"]["latency"]["encoded"])
    latency = sides_of(stored)["web"].latency["latency"]
    assert latency.whole["p99"] == merged.value_at(99.0)
    per_interval = latency.samples["p99"]
    assert len(per_interval) == 30
    assert latency.whole["p99"] != pytest.approx(sum(per_interval) / len(per_interval), rel=1e-6)


def test_repetitions_are_pooled_and_rates_read_per_second():
    stored = run("a2", 2, SyntheticTest(repetitions=2, failed_pairs=1))
    side = sides_of(stored)["web"]
    assert side.headline == "requests"
    assert len(side.rates["requests"].samples) == 60
    assert side.rates["requests"].total == pytest.approx(1000.0, rel=0.03)
    assert (side.pairs, side.failed_pairs) == (8, 2)


def test_a_10_percent_slower_p95_is_found_and_an_aa_pair_is_not():
    before = run("b1", 3)
    slower = run("b2", 4, SyntheticTest(histograms={"latency": 0.011}))
    same = run("b3", 5)
    worse = compare_dataplane(before, slower, OPTIONS)
    (test,) = worse.workloads
    (latency,) = test.series
    p95 = next(c for c in latency.changes if c.metric == "p95")
    assert p95.verdict is Verdict.WORSE and p95.regression
    assert 0 < p95.low < p95.change < p95.high  # resampled intervals, merged histograms
    assert worse.verdict is Verdict.WORSE
    assert compare_dataplane(before, same, OPTIONS).verdict is not Verdict.WORSE


def test_each_direction_is_judged_on_its_own():
    before = run("c1", 6, FIO)
    after_spec = SyntheticTest(**{**FIO.__dict__, "counters": {"read_iops": 5000.0,
                                                               "write_iops": 1700.0}})  # fmt: skip
    (test,) = compare_dataplane(before, run("c2", 7, after_spec), OPTIONS).workloads
    assert test.label == "disk (read_iops)"
    assert test.throughput.metric == "throughput" and test.throughput.before is not None
    assert test.throughput.before == pytest.approx(5000.0, rel=0.03)  # the headline: reads
    assert test.throughput.verdict is not Verdict.WORSE
    series = {s.name: s.changes for s in test.series}
    assert list(series) == ["write_iops", "read_clat", "write_clat"]
    (write,) = series["write_iops"]
    assert write.verdict is Verdict.WORSE and write.change == pytest.approx(-0.15, abs=0.03)


def test_runs_without_a_test_in_common_or_the_same_run_are_refused():
    with pytest.raises(ConfigError, match="no test in common"):
        compare_dataplane(run("d1", 8), run("d2", 9, FIO), OPTIONS)
    with pytest.raises(ConfigError, match="compared with itself"):
        compare_dataplane(run("d1", 8), run("d1", 8), OPTIONS)


def test_a_trend_point_carries_the_headline_and_the_first_histogram():
    side = sides_of(run("e1", 10, FIO))["disk"]
    point = trend_point(RunBrief("e1", "t", 1.0), side, Verdict.BETTER)
    assert point.throughput == side.rates["read_iops"].total
    assert point.p95 == side.latency["read_clat"].whole["p95"]
    assert point.failure_rate == 0.0 and point.versus_previous is Verdict.BETTER


def http_test(errors: float) -> SyntheticTest:
    counters = {"requests": 1000.0, "errors": errors, "timeouts": errors / 2,
                "bytes": 1e6, "status_2xx": 1000.0}  # fmt: skip
    return SyntheticTest(counters=counters)


def test_more_failed_requests_are_worse_never_more_throughput():
    before = run("f1", 11, http_test(errors=1.0))  # 0.15 % of requests fail
    after = run("f2", 12, http_test(errors=20.0))  # 2.9 %
    (test,) = compare_dataplane(before, after, OPTIONS).workloads
    series = {s.name: s.changes for s in test.series}
    assert list(series) == ["bytes", "latency", "errors"]  # status classes are not judged
    (errors,) = series["errors"]
    assert errors.metric == "error_rate"
    assert errors.before == pytest.approx(0.15, abs=0.02)
    assert errors.change == pytest.approx(2.75, abs=0.2)  # points
    assert errors.verdict is Verdict.WORSE and errors.regression
    assert test.verdict is Verdict.WORSE
    better = compare_dataplane(after, before, OPTIONS).workloads[0]
    assert next(s for s in better.series if s.name == "errors").changes[0].improvement


def test_stored_runs_calibration_aa_pairs_do_not_gate_and_a_10_percent_shift_does():
    quick = SyntheticTest(samples=60)
    slower = SyntheticTest(samples=60, histograms={"latency": 0.011})
    gated = found = 0
    seeds = 12
    for seed in range(seeds):
        before = run(f"g{seed:02d}a", 100 + seed, quick)
        again = run(f"g{seed:02d}b", 200 + seed, quick)
        gated += compare_dataplane(before, again, OPTIONS).verdict is Verdict.WORSE
        shifted = run(f"g{seed:02d}c", 300 + seed, slower)
        (test,) = compare_dataplane(before, shifted, OPTIONS).workloads
        (latency,) = test.series
        found += next(c for c in latency.changes if c.metric == "p95").verdict is Verdict.WORSE
    assert gated <= 1  # at most one A/A pair of 12 fails a gate
    assert found >= seeds - 1  # the 10 % slower p95 is found nearly every time


def test_last_is_the_newest_dataplane_run_in_a_store_without_task_runs(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'squall.db'}") as store:
        older, newer = run("ab1", 13), run("ab2", 14)
        newer["started_at"] += 3600
        for stored in (newer, older):
            DataplaneStore(store).save(stored)
        found = find_any(store, "last")
        assert isinstance(found, dict) and found["run"] == newer["run"]
        result = compare_any(store, older["run"][:6], "last")
        assert isinstance(result, DataplaneComparison)
        assert (result.before.id, result.after.id) == (older["run"], newer["run"])
        with pytest.raises(StoreError, match="no run 0000dead"):
            find_any(store, "0000dead")
