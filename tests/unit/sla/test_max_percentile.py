"""max_percentile decides ``pNN <= limit`` from counts exactly as the percentile says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from squall.iteration import IterationResult
from squall.sla.max_percentile import MaxPercentile, MaxPercentileConfig
from squall.stats.percentile import percentile


def it(duration: float) -> IterationResult:
    return IterationResult(1, 0.0, 0.0, 0.0, duration)


values = st.lists(st.floats(min_value=0.0, max_value=10.0), max_size=40)
keys = st.sampled_from(["p0", "p1", "p25", "p50", "p90", "p95", "p99", "p99.9", "p100"])


@settings(max_examples=300, deadline=None)
@given(values, keys, st.floats(min_value=0.001, max_value=10.0), st.data())
def test_verdict_matches_the_exact_percentile(
    durations: list[float], key: str, limit: float, data: st.DataObject
):
    if durations and data.draw(st.booleans()):
        limit = data.draw(st.sampled_from([d for d in durations if d > 0] or [limit]))
    sla = MaxPercentile(MaxPercentileConfig.model_validate({key: limit}))
    for d in durations:
        verdict = sla.add(it(d))
    value = percentile(sorted(durations), float(key[1:]) / 100)
    expected = value is None or value <= limit
    assert sla.success is expected
    if durations:
        assert verdict is expected


def test_top_level_keys_and_total_mapping_are_the_same_limits():
    a = MaxPercentileConfig.model_validate({"p95": 1, "atomic": {"x": {"p50": 2}}})
    b = MaxPercentileConfig.model_validate({"total": {"p95": 1}, "atomic": {"x": {"p50": 2}}})
    assert a == b


def test_each_limit_is_reported_even_when_it_holds():
    sla = MaxPercentile(MaxPercentileConfig.model_validate({"p50": 1.0, "p99": 0.5}))
    for d in (0.1, 0.2, 0.3, 2.0):
        sla.add(it(d))
    assert sla.success is False
    assert sla.details().splitlines() == [
        "Percentiles of successful iterations:",
        "Iteration p50: 0.250s <= 1.000s",
        "Iteration p99: 1.949s <= 0.500s",
        "Status: Failed",
    ]
