"""The run record's JSON: tests rendered once, their histogram objects released after."""

from __future__ import annotations

from squall.dataplane.aggregate import PairOutcome, RepetitionSummary, summarize
from squall.dataplane.results import RESULTS_FILE, RunRecord, release, write_results
from squall.dataplane.tools.base import IntervalMeasurement, Measurement
from squall.stats.histogram import Histogram


def _hist() -> Histogram:
    hist = Histogram()
    hist.record_many([0.001, 0.002, 0.004])
    return hist


def _summary() -> RepetitionSummary:
    measurement = Measurement(
        {"requests": 3.0},
        {"latency": _hist()},
        [IntervalMeasurement(0.0, 1.0, {"requests": 3.0}, {"latency": _hist()})],
    )
    pair = PairOutcome("c", "s", "hc", "hs", "ok", measurement, 0.001)
    return summarize(RepetitionSummary("web", "http", 0, 1.0, [pair]), headline="requests")


def test_released_tests_are_written_the_same_without_their_histograms(tmp_path):
    summary = _summary()
    record = RunRecord("a" * 32, "t", "netns", "full", {}, 1.0, tests=[summary])
    write_results(record, tmp_path)
    first = (tmp_path / RESULTS_FILE).read_text()
    release(record)
    assert summary.histograms == {} and summary.intervals == []
    assert summary.pairs[0].measurement is not None
    assert summary.pairs[0].measurement.histograms == {}
    assert summary.sources["hc"].histograms == {}
    assert summary.pairs[0].measurement.counters == {"requests": 3.0}  # counters stay
    write_results(record, tmp_path)
    assert (tmp_path / RESULTS_FILE).read_text() == first
    assert '"encoded"' in first


def test_tests_not_yet_rendered_keep_their_histograms():
    summary = _summary()
    record = RunRecord("b" * 32, "t", "netns", "full", {}, 1.0, tests=[summary])
    release(record)
    assert summary.histograms["latency"].count == 3
