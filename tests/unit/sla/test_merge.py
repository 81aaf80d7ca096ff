"""merge() of partial views equals add() of every iteration, for every criterion."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from squall.iteration import AtomicAction, ErrorInfo, IterationResult
from squall.plugins.families import Family
from squall.plugins.loader import load_registry
from squall.sla.base import SLA
from squall.sla.checker import SLAChecker
from squall.sla.outliers import Outliers

REGISTRY = load_registry()

CONFIGS: dict[str, object] = {
    "failure_rate": {"min": 10, "max": 40},
    "max_seconds_per_iteration": 5.0,
    "max_avg_duration": 2.5,
    "max_avg_duration_per_atomic": {"a": 1.0, "b": 0.5},
    "performance_degradation": {"max_degradation": 500},
    "max_percentile": {"p50": 2.5, "p95": 4.0, "atomic": {"a": {"p90": 1.0}, "c": {"p50": 0.1}}},
    "min_rate": {"rate": 1.0},
}

seconds = st.floats(min_value=0.0, max_value=6.0, allow_nan=False, allow_infinity=False)


@st.composite
def actions(draw: st.DrawFn, depth: int = 0) -> AtomicAction:
    start = draw(st.floats(min_value=0.0, max_value=1000.0))
    children = draw(st.lists(actions(depth + 1), max_size=2)) if depth < 2 else []
    return AtomicAction(
        name=draw(st.sampled_from("abc")),
        started_at=start,
        finished_at=start + draw(seconds),
        children=children,
        failed=draw(st.booleans()),
    )


@st.composite
def iterations(draw: st.DrawFn) -> IterationResult:
    start = draw(st.floats(min_value=0.0, max_value=100.0))
    return IterationResult(
        number=1,
        scheduled_offset=start,
        start_offset=start,
        timestamp=1e9 + start,
        duration=draw(seconds),
        idle_duration=draw(st.sampled_from([0.0, 0.5])),
        error=ErrorInfo("E", "m") if draw(st.booleans()) else None,
        atomic_actions=draw(st.lists(actions(), max_size=3)),
    )


def make(name: str) -> SLA:
    cls = REGISTRY.get(Family.SLA, name, SLA)  # type: ignore[type-abstract]
    return cls(cls.parse_config(CONFIGS.get(name, {})))


def fed(name: str, items: list[IterationResult]) -> SLA:
    sla = make(name)
    for one in items:
        sla.add(one)
    return sla


@settings(max_examples=80, deadline=None)
@given(st.lists(iterations(), max_size=25), st.data())
def test_merge_equals_adding_everything(items: list[IterationResult], data: st.DataObject):
    cut = data.draw(st.integers(min_value=0, max_value=len(items)))
    for name in CONFIGS:
        whole = fed(name, items)
        left, right = fed(name, items[:cut]), fed(name, items[cut:])
        merged_verdict = left.merge(right)
        if name != "min_rate":  # a rate never asks for an abort: merge() is always True
            assert merged_verdict is whole.success, name
        assert left.success is whole.success, name
        assert left.details() == whole.details(), name


@settings(max_examples=100, deadline=None)
@given(st.lists(iterations(), max_size=25), st.data())
def test_outliers_merge_joins_counts_and_moments(items: list[IterationResult], data: st.DataObject):
    # Rally's outlier count is order-dependent by design; merging adds the parts'
    # counts and joins mean and deviation exactly (up to float rounding).
    cut = data.draw(st.integers(min_value=0, max_value=len(items)))
    whole = fed("outliers", items)
    left, right = fed("outliers", items[:cut]), fed("outliers", items[cut:])
    assert (
        isinstance(left, Outliers) and isinstance(right, Outliers) and isinstance(whole, Outliers)
    )
    expected_outliers = left.outliers + right.outliers
    left.merge(right)
    assert left.iterations == whole.iterations
    assert left.outliers == expected_outliers
    assert math.isclose(left.mean, whole.mean, rel_tol=1e-9, abs_tol=1e-9)
    if whole.std is not None:
        assert left.std is not None
        assert math.isclose(left.std, whole.std, rel_tol=1e-6, abs_tol=1e-6)


@settings(max_examples=50, deadline=None)
@given(st.lists(iterations(), max_size=20), st.data())
def test_checker_merge_equals_adding_everything(items: list[IterationResult], data: st.DataObject):
    cut = data.draw(st.integers(min_value=0, max_value=len(items)))
    whole = SLAChecker(REGISTRY, CONFIGS)
    left, right = SLAChecker(REGISTRY, CONFIGS), SLAChecker(REGISTRY, CONFIGS)
    for one in items:
        whole.add(one)
    for one in items[:cut]:
        left.add(one)
    for one in items[cut:]:
        right.add(one)
    left.merge(right)
    assert left.results() == whole.results()
