"""The percentile function: linear interpolation at (n-1)p, as Rally and numpy."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from squall.stats.percentile import percentile


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([], 0.5, None),
        ([3.0], 0.0, 3.0),
        ([3.0], 0.95, 3.0),
        ([1.0, 2.0], 0.5, 1.5),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.5),
        ([1.0, 2.0, 3.0, 4.0], 0.9, 3.7),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 0.95, 4.8),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 1.0, 5.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 0.0, 1.0),
        ([0.1] * 7, 0.99, 0.1),
    ],
)
def test_known_values(values: list[float], p: float, expected: float | None):
    assert percentile(values, p) == pytest.approx(expected)


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=2, max_size=200))
def test_matches_the_inclusive_method_of_the_standard_library(values: list[float]):
    ordered = sorted(values)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    for i, cut in enumerate(cuts, start=1):
        got = percentile(ordered, i / 100)
        assert got == pytest.approx(cut, rel=1e-9, abs=1e-9)


@given(st.lists(st.floats(min_value=-1e9, max_value=1e9), min_size=1, max_size=50), st.floats(0, 1))
def test_stays_between_its_neighbours(values: list[float], p: float):
    ordered = sorted(values)
    got = percentile(ordered, p)
    assert got is not None
    assert ordered[0] <= got <= ordered[-1]


def test_rejects_a_fraction_outside_zero_to_one():
    with pytest.raises(ValueError):
        percentile([1.0], 95)
