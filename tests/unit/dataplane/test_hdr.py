"""The agent's stdlib HdrHistogram writer produces what hdrh and squall's Histogram read."""

from __future__ import annotations

import random

import pytest
from hdrh.histogram import HdrHistogram

from squall.dataplane.agent.hdr import HIGHEST_US, Recorder
from squall.stats.histogram import Histogram


def _values(seed: int) -> list[int]:
    rnd = random.Random(seed)
    small = [rnd.randint(0, 5000) for _ in range(2000)]
    large = [rnd.randint(5000, 10**10) for _ in range(300)]
    edges = [0, 1, 2047, 2048, 2049, 4095, 4096, HIGHEST_US]
    return small + large + edges


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_encoding_decodes_to_the_same_histogram_as_hdrh_records(seed):
    recorder = Recorder()
    reference = HdrHistogram(1, HIGHEST_US, 3)
    for value in _values(seed):
        recorder.record(value)
        reference.record_value(value)
    decoded = HdrHistogram.decode(recorder.encode().encode("ascii"))
    assert decoded.get_total_count() == reference.get_total_count()
    for p in (0, 1, 10, 50, 90, 99, 99.9, 100):
        assert decoded.get_value_at_percentile(p) == reference.get_value_at_percentile(p)
    assert decoded.get_max_value() == reference.get_max_value()


def test_empty_recorder_encodes_an_empty_histogram():
    decoded = HdrHistogram.decode(Recorder().encode().encode("ascii"))
    assert decoded.get_total_count() == 0


def test_out_of_range_values_are_clamped_counted_and_travel_with_the_blob():
    recorder = Recorder()
    recorder.record(-5)
    recorder.record(HIGHEST_US * 10, count=2)
    recorder.record(100)
    hist = Histogram.decode(recorder.encode())
    assert hist.count == 4
    assert (hist.below, hist.above) == (1, 2)
    assert hist.max == pytest.approx(HIGHEST_US / 1e6, rel=1e-3)


def test_counts_with_weights_and_merge():
    a, b = Recorder(), Recorder()
    a.record(10, count=3)
    b.record(20, count=2)
    b.record(30_000)
    a.merge(b)
    assert (a.total, a.min, a.max) == (6, 10, 30_000)
    hist = Histogram.decode(a.encode())
    assert hist.count == 6
    assert hist.value_at(50) == pytest.approx(10e-6)


def test_percentile_reports_the_bucket_upper_bound_like_hdrh():
    recorder = Recorder()
    reference = HdrHistogram(1, HIGHEST_US, 3)
    for value in (1, 5, 1000, 123_456, 7_654_321):
        recorder.record(value)
        reference.record_value(value)
    for p in (20, 60, 100):
        assert recorder.percentile(p) == reference.get_value_at_percentile(p)


def test_merge_encoded_adds_values_and_clamp_counts():
    a, b = Recorder(), Recorder()
    a.record(100, count=2)
    b.record(-1)
    b.record(3000)
    total = Histogram()
    total.merge_encoded(a.encode())
    total.merge_encoded(b.encode())
    assert total.count == 4
    assert total.below == 1
    assert total.max == pytest.approx(3000e-6, rel=1e-3)
