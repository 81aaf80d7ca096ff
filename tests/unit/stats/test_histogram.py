"""The HdrHistogram wrapper: seconds in, lossless merge, clamped values counted."""

from __future__ import annotations

import pytest

from squall.stats.histogram import DEFAULT_HIGHEST_US, Histogram, Range


def test_records_seconds_within_three_significant_digits():
    hist = Histogram()
    hist.record_many([0.001, 0.002, 0.003, 0.1, 1.5])
    assert hist.count == 5
    assert hist.min == pytest.approx(0.001, rel=1e-3)
    assert hist.max == pytest.approx(1.5, rel=1e-3)
    assert hist.value_at(50) == pytest.approx(0.003, rel=1e-3)


def test_out_of_range_values_are_clamped_and_counted_not_dropped():
    hist = Histogram(Range(highest_us=1_000_000))
    hist.record_many([0.5, -0.25, 3.0, 7.0])
    assert hist.count == 4
    assert (hist.below, hist.above, hist.out_of_range) == (1, 2, 3)
    assert hist.max == pytest.approx(1.0, rel=1e-3)
    assert hist.min == 0.0


def test_merge_is_the_same_as_recording_everything_in_one():
    values = [i / 997 for i in range(1, 2000)]
    whole, a, b = Histogram(), Histogram(), Histogram()
    whole.record_many([*values, -1.0])
    a.record_many([*values[:700], -1.0])
    b.record_many(values[700:])
    a.merge(b)
    assert a.count == whole.count
    assert a.below == 1
    for pct in (0, 50, 90, 99, 99.9, 100):
        assert a.value_at(pct) == whole.value_at(pct)
    assert a.encode() == whole.encode()


def test_encode_decode_round_trip_keeps_counts_and_clamps():
    hist = Histogram()
    hist.record_many([0.01 * i for i in range(1, 101)] + [DEFAULT_HIGHEST_US, -3])
    text = hist.encode()
    assert "#below=1,above=1" in text
    back = Histogram.decode(text)
    assert (back.count, back.below, back.above) == (102, 1, 1)
    assert back.value_at(99) == hist.value_at(99)
    assert back.encode() == text


def test_plain_blob_when_nothing_was_clamped():
    hist = Histogram()
    hist.record(0.25)
    assert "#" not in hist.encode()
    assert Histogram.decode(hist.encode()).value_at(100) == pytest.approx(0.25, rel=1e-3)


def test_decode_rejects_garbage_clamp_counts():
    hist = Histogram()
    hist.record(0.25)
    with pytest.raises(ValueError):
        Histogram.decode(hist.encode() + "#below=x")


def test_empty_histogram_has_no_extremes():
    hist = Histogram()
    assert hist.count == 0
    assert hist.min is None and hist.max is None and hist.mean is None


def test_buckets_are_the_recorded_iterator_s_steps():
    hist = Histogram()
    hist.record_many([0.000001, 0.0005, 0.0005, 0.012, 0.3, 2.5, 59.0])
    hist = Histogram.decode(hist.encode())  # as compared: decoded from a stored blob
    steps = [
        (item.value_iterated_to / 1_000_000, item.count_added_in_this_iter_step)
        for item in hist._hdr.get_recorded_iterator()
    ]
    assert hist.buckets() == steps
    assert sum(count for _, count in hist.buckets()) == hist.count == 7
    assert Histogram().buckets() == []


@pytest.mark.parametrize(
    "value_range", [Range(), Range(highest_us=1_000_000), Range(lowest_us=1000)]
)
def test_record_counts_is_recording_each_value_count_times(value_range):
    """The vectorised path lands every value in hdrh's own bucket, clamps included."""
    import random

    rng = random.Random(7)
    seconds = [rng.lognormvariate(-7, 3) for _ in range(3000)] + [-0.5, 0.0, 1e-7, 2.5e-7, 90e3]
    seconds += [2.0**k / 1e6 for k in range(40)] + [(2.0**k - 1) / 1e6 for k in range(1, 40)]
    counts = [rng.randrange(0, 50) for _ in seconds]
    one_by_one, at_once = Histogram(value_range), Histogram(value_range)
    for value, count in zip(seconds, counts, strict=True):
        if count:
            one_by_one.record(value, count)
    at_once.record_counts(seconds, counts)
    assert at_once.count == one_by_one.count
    assert (at_once.below, at_once.above) == (one_by_one.below, one_by_one.above)
    assert (at_once.min, at_once.max) == (one_by_one.min, one_by_one.max)
    assert at_once.buckets() == one_by_one.buckets()
    assert at_once.encode() == one_by_one.encode()


def test_record_counts_of_nothing_changes_nothing():
    hist = Histogram()
    hist.record_counts([], [])
    hist.record_counts([0.5], [0])
    assert (hist.count, hist.min, hist.max) == (0, None, None)
    assert hist.encode() == Histogram().encode()


def test_record_many_is_recording_each_value_once():
    import random

    rng = random.Random(11)
    seconds = [rng.lognormvariate(-6, 2) for _ in range(2000)] + [-1.0, 0.0, 90e3, 0.0015] * 3
    one_by_one, at_once = Histogram(), Histogram()
    for value in seconds:
        one_by_one.record(value)
    at_once.record_many(iter(seconds))  # any iterable, a generator included
    assert at_once.encode() == one_by_one.encode()
    assert (at_once.below, at_once.above) == (one_by_one.below, one_by_one.above) == (3, 3)
