"""Merging per-pair measurements: lossless histograms, sums and means, hosts, the matrix."""

from __future__ import annotations

import pytest

from squall.dataplane.aggregate import IntervalMerger, PairOutcome, RepetitionSummary, summarize
from squall.dataplane.tools.base import IntervalMeasurement, Measurement
from squall.stats.histogram import Histogram


def _hist(*values: float) -> Histogram:
    hist = Histogram()
    hist.record_many(values)
    return hist


def _pair(
    client: str,
    server: str,
    bps: float,
    latencies: list[float],
    status: str = "ok",
    skew: float = 0.001,
) -> PairOutcome:
    measurement = Measurement(
        counters={"bits_per_second": bps, "lost_percent": 2.0},
        histograms={"latency": _hist(*latencies)},
        intervals=[
            IntervalMeasurement(0.0, 1.0, {"bits_per_second": bps}, {"latency": _hist(*latencies)}),
            IntervalMeasurement(1.003, 2.0, {"bits_per_second": bps}, {}),
        ],
    )
    return PairOutcome(
        client,
        server,
        f"h-{client}",
        f"h-{server}",
        status,
        measurement if status == "ok" else None,
        skew,
        None if status == "ok" else "lost",
    )


def _summary(pairs: list[PairOutcome]) -> RepetitionSummary:
    return summarize(
        RepetitionSummary("t", "iperf3", 0, 100.0, pairs),
        averaged=frozenset({"lost_percent"}),
        headline="bits_per_second",
    )


def test_counters_sum_except_averaged_ones_and_histograms_merge_losslessly():
    summary = _summary(
        [_pair("c1", "s1", 10.0, [0.001, 0.002]), _pair("c2", "s2", 30.0, [0.003, 0.004, 0.005])]
    )
    assert summary.counters["bits_per_second"] == 40.0
    assert summary.counters["lost_percent"] == 2.0
    latency = summary.histograms["latency"]
    assert latency.count == 5
    assert latency.value_at(100) == pytest.approx(0.005, rel=1e-3)
    assert latency.value_at(0) == pytest.approx(0.001, rel=1e-3)


def test_intervals_merge_by_number_across_agents():
    summary = _summary([_pair("c1", "s1", 10.0, [0.001]), _pair("c2", "s2", 30.0, [0.002])])
    assert len(summary.intervals) == 2
    assert summary.intervals[0].counters["bits_per_second"] == 40.0
    assert summary.intervals[0].histograms["latency"].count == 2
    assert summary.intervals[1].counters["bits_per_second"] == 40.0


def test_intervals_merged_pair_by_pair_give_the_same_figures():
    """The run merges each pair's intervals as it parses it and drops them."""
    pairs = [_pair("c1", "s1", 10.0, [0.001]), _pair("c2", "s2", 30.0, [0.002])]
    merger = IntervalMerger(1.0, frozenset({"lost_percent"}))
    for pair in pairs:
        assert pair.measurement is not None
        merger.add(pair.measurement)
        pair.measurement.intervals = []
    summary = summarize(
        RepetitionSummary("t", "iperf3", 0, 100.0, pairs),
        averaged=frozenset({"lost_percent"}),
        headline="bits_per_second",
        intervals=merger,
    )
    whole = _summary([_pair("c1", "s1", 10.0, [0.001]), _pair("c2", "s2", 30.0, [0.002])])
    assert [(i.start, i.end, i.counters) for i in summary.intervals] == [
        (i.start, i.end, i.counters) for i in whole.intervals
    ]
    assert summary.intervals[0].histograms["latency"].count == 2


def test_failed_pairs_make_the_run_partial_and_flag_their_hosts():
    summary = _summary(
        [_pair("c1", "s1", 10.0, [0.001]), _pair("c2", "s2", 0.0, [], status="lost")]
    )
    assert summary.partial
    assert summary.failed_agents == ["c2"]
    assert "h-c2" in summary.bad_hosts
    assert summary.counters["bits_per_second"] == 10.0


def test_a_slow_host_is_flagged_against_the_median():
    pairs = [_pair(f"c{i}", f"s{i}", 100.0, [0.001]) for i in range(4)]
    pairs.append(_pair("c9", "s9", 10.0, [0.001]))
    summary = _summary(pairs)
    assert summary.bad_hosts == ["h-c9", "h-s9"]
    assert not summary.partial


def test_matrix_is_source_by_destination():
    summary = _summary(
        [
            _pair("c1", "s1", 10.0, [0.001]),
            _pair("c1", "s2", 5.0, [0.001]),
            _pair("c2", "s2", 0.0, [], status="lost"),
        ]
    )
    matrix = summary.matrix
    assert matrix is not None
    assert matrix.sources == ["h-c1", "h-c2"]
    assert matrix.destinations == ["h-s1", "h-s2"]
    assert matrix.values == [[10.0, 5.0], [None, None]]


def test_start_skew_is_summarised():
    pairs = [_pair(f"c{i}", "s", 1.0, [0.001], skew=i / 1000) for i in range(1, 101)]
    summary = _summary(pairs)
    assert summary.max_skew == pytest.approx(0.1)
    assert summary.p99_skew == pytest.approx(0.1)
