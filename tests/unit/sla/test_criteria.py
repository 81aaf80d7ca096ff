"""Each SLA criterion against Rally's semantics, table-driven."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from squall.iteration import AtomicAction, ErrorInfo, IterationResult
from squall.plugins.families import Family
from squall.plugins.loader import load_registry
from squall.sla.base import SLA

REGISTRY = load_registry()


def criterion(name: str, raw: object) -> SLA:
    cls = REGISTRY.get(Family.SLA, name, SLA)  # type: ignore[type-abstract]
    return cls(cls.parse_config(raw))


def it(
    duration: float,
    *,
    failed: bool = False,
    start: float = 0.0,
    idle: float = 0.0,
    atomics: list[AtomicAction] | None = None,
) -> IterationResult:
    return IterationResult(
        number=1,
        scheduled_offset=start,
        start_offset=start,
        timestamp=1_700_000_000.0 + start,
        duration=duration,
        idle_duration=idle,
        error=ErrorInfo("Boom", "failed") if failed else None,
        atomic_actions=atomics or [],
    )


def act(name: str, seconds: float, *children: AtomicAction) -> AtomicAction:
    return AtomicAction(name, 100.0, 100.0 + seconds, list(children))


def verdict(name: str, raw: object, iterations: list[IterationResult]) -> bool:
    sla = criterion(name, raw)
    for one in iterations:
        sla.add(one)
    assert sla.result().success is sla.success
    return sla.success


OK = it(0.1)
FAIL = it(0.1, failed=True)

CASES = [
    # failure_rate: percent of failed iterations, inclusive bounds, defaults 0..100
    ("failure_rate", {"max": 0}, [], True),
    ("failure_rate", {"max": 0}, [OK, OK], True),
    ("failure_rate", {"max": 0}, [OK, FAIL], False),
    ("failure_rate", {"max": 50}, [OK, FAIL], True),
    ("failure_rate", {"max": 49.9}, [OK, FAIL], False),
    ("failure_rate", {"min": 50}, [OK, FAIL], True),
    ("failure_rate", {"min": 51}, [OK, FAIL], False),
    ("failure_rate", {"min": 10}, [], True),  # Rally: no iteration, nothing judged
    ("failure_rate", {"max": 100}, [FAIL, FAIL], True),
    # max_seconds_per_iteration: every iteration, failed ones too
    ("max_seconds_per_iteration", 1.0, [], True),
    ("max_seconds_per_iteration", 1.0, [it(1.0)], True),
    ("max_seconds_per_iteration", 1.0, [it(0.5), it(1.01)], False),
    ("max_seconds_per_iteration", 1.0, [it(0.5), it(2.0, failed=True)], False),
    ("max_seconds_per_iteration", {"max": 1.0}, [it(0.5)], True),
    # max_avg_duration: successful iterations only
    ("max_avg_duration", 0.5, [], True),
    ("max_avg_duration", 0.5, [it(0.4), it(0.6)], True),
    ("max_avg_duration", 0.5, [it(0.4), it(0.7)], False),
    ("max_avg_duration", 0.5, [it(0.4), it(9.0, failed=True)], True),
    ("max_avg_duration", 0.5, [it(9.0, failed=True)], True),
    # max_avg_duration_per_atomic: top level only, one sample per run
    ("max_avg_duration_per_atomic", {"a": 1.0}, [], True),
    ("max_avg_duration_per_atomic", {"a": 1.0}, [it(3, atomics=[act("a", 0.9)])], True),
    ("max_avg_duration_per_atomic", {"a": 1.0}, [it(3, atomics=[act("a", 1.1)])], False),
    (
        "max_avg_duration_per_atomic",
        {"a": 1.0},
        [it(3, atomics=[act("a", 1.5), act("a", 0.5)])],
        True,
    ),
    ("max_avg_duration_per_atomic", {"b": 1.0}, [it(3, atomics=[act("a", 5, act("b", 5))])], True),
    ("max_avg_duration_per_atomic", {"a": 1.0}, [it(3, failed=True, atomics=[act("a", 5)])], True),
    ("max_avg_duration_per_atomic", {"a": 1.0, "z": 0.1}, [it(3, atomics=[act("a", 0.2)])], True),
    (
        "max_avg_duration_per_atomic",
        {"a": 1, "b": 1},
        [it(3, atomics=[act("a", 0.2), act("b", 2)])],
        False,
    ),
    # performance_degradation: (max/min - 1) * 100 over successful durations
    ("performance_degradation", {"max_degradation": 50}, [], True),
    ("performance_degradation", {"max_degradation": 50}, [it(1.0), it(1.5)], True),
    ("performance_degradation", {"max_degradation": 50}, [it(1.0), it(1.51)], False),
    ("performance_degradation", {"max_degradation": 50}, [it(1.0), it(3.0, failed=True)], True),
    ("performance_degradation", {"max_degradation": 0}, [it(2.0), it(2.0)], True),
    # outliers: Rally's streaming approximation
    ("outliers", {}, [], True),
    ("outliers", {}, [it(1.0)] * 10, True),
    ("outliers", {}, [it(1.0), it(1.1), it(1.0), it(1.1), it(1.0), it(50.0)], False),
    ("outliers", {"max": 1}, [it(1.0), it(1.1), it(1.0), it(1.1), it(1.0), it(50.0)], True),
    ("outliers", {}, [it(1.0), it(1.1), it(1.0), it(1.1), it(50.0, failed=True)], True),
    ("outliers", {"min_iterations": 10}, [it(1.0), it(1.1), it(1.0), it(1.1), it(50.0)], True),
    # max_percentile: exact percentiles over successful iterations
    ("max_percentile", {"p50": 0.25}, [], True),
    ("max_percentile", {"p50": 0.25}, [it(0.1), it(0.2), it(0.3), it(0.4)], True),
    ("max_percentile", {"p50": 0.249}, [it(0.1), it(0.2), it(0.3), it(0.4)], False),
    ("max_percentile", {"p100": 0.4}, [it(0.1), it(0.4)], True),
    ("max_percentile", {"p0": 0.09}, [it(0.1), it(0.4)], False),
    ("max_percentile", {"p99": 1}, [it(0.1), it(5.0, failed=True)], True),
    ("max_percentile", {"atomic": {"a": {"p95": 1}}}, [it(9, atomics=[act("a", 0.5)])], True),
    ("max_percentile", {"atomic": {"a": {"p95": 1}}}, [it(9, atomics=[act("a", 1.5)])], False),
    ("max_percentile", {"total": {"p95": 1}}, [it(1.5)], False),
    # every iteration failed: the criteria on successful iterations have nothing to judge
    ("max_percentile", {"p50": 0.01}, [FAIL, FAIL], True),
    ("performance_degradation", {"max_degradation": 0}, [it(1, failed=True), FAIL], True),
    ("outliers", {}, [it(1, failed=True)] * 3 + [it(99, failed=True)], True),
    ("max_seconds_per_iteration", 0.05, [FAIL, FAIL], False),
    ("failure_rate", {"max": 99}, [FAIL, FAIL], False),
    # min_rate: iterations per second from first start to last end
    ("min_rate", 1.0, [], False),
    ("min_rate", 1.0, [it(0.5, start=0.0), it(0.5, start=1.0)], True),  # 2 in 1.5 s
    ("min_rate", 2.0, [it(0.5, start=0.0), it(0.5, start=1.0)], False),
    ("min_rate", 1.0, [it(0.5, start=0.0), it(0.5, start=0.5, idle=2.0)], False),  # 2 in 3 s
    ("min_rate", {"rate": 1.0, "successful_only": True}, [FAIL, it(0.1, failed=True)], False),
    ("min_rate", 1.0, [it(0.0)], True),  # a span of 0 is an infinite rate
]


@pytest.mark.parametrize(("name", "raw", "iterations", "expected"), CASES)
def test_verdict(name: str, raw: object, iterations: list[IterationResult], expected: bool):
    assert verdict(name, raw, iterations) is expected


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("failure_rate", {}),
        ("failure_rate", {"max": 101}),
        ("failure_rate", {"min": -1}),
        ("failure_rate", {"maximum": 1}),
        ("max_seconds_per_iteration", 0),
        ("max_seconds_per_iteration", "fast"),
        ("max_avg_duration", -1),
        ("max_avg_duration_per_atomic", {}),
        ("max_avg_duration_per_atomic", {"a": 0}),
        ("outliers", {"min_iterations": 2}),
        ("outliers", {"sigmas": 0}),
        ("outliers", {"max": -1}),
        ("performance_degradation", {}),
        ("performance_degradation", {"max_degradation": -5}),
        ("max_percentile", {}),
        ("max_percentile", {"p101": 1}),
        ("max_percentile", {"p95": 0}),
        ("max_percentile", {"p95x": 1}),
        ("max_percentile", {"atomic": {"a": {}}}),
        ("min_rate", 0),
        ("min_rate", {"rate": 1, "extra": 2}),
    ],
)
def test_bad_arguments_are_rejected(name: str, raw: object):
    cls = REGISTRY.get(Family.SLA, name, SLA)  # type: ignore[type-abstract]
    with pytest.raises(ValidationError):
        cls.parse_config(raw)


def test_add_returns_the_running_verdict():
    sla = criterion("max_seconds_per_iteration", 1.0)
    assert sla.add(it(0.5)) is True
    assert sla.add(it(1.5)) is False
    assert sla.add(it(0.5)) is False  # a maximum never recovers


def test_min_rate_never_asks_for_an_abort_mid_run():
    sla = criterion("min_rate", 100.0)
    assert sla.add(it(1.0)) is True
    assert sla.success is False


@pytest.mark.parametrize(
    ("name", "raw", "iterations", "detail"),
    [
        (
            "failure_rate",
            {"max": 0},
            [OK, FAIL],
            "Failure rate criteria 0.00% <= 50.00% <= 0.00% - Failed",
        ),
        (
            "failure_rate",
            {"min": 1},
            [],
            "Failure rate criteria 1.00% <= 0.00% <= 100.00% - Passed",
        ),
        (
            "max_seconds_per_iteration",
            1,
            [it(0.5)],
            "Maximum seconds per iteration 0.50s <= 1.00s - Passed",
        ),
        (
            "max_avg_duration",
            1,
            [it(0.25), it(0.75)],
            "Average duration of one iteration 0.50s <= 1.00s - Passed",
        ),
        ("outliers", {"max": 2}, [], "Maximum number of outliers 0 <= 2 - Passed"),
        (
            "performance_degradation",
            {"max_degradation": 10},
            [it(1), it(1.25)],
            "Current degradation: 25.0% - Failed",
        ),
        (
            "performance_degradation",
            {"max_degradation": 10},
            [],
            "Current degradation: 0.0% - Passed",
        ),
        (
            "max_avg_duration_per_atomic",
            {"a": 1, "b": 2},
            [it(1, atomics=[act("a", 0.5)])],
            "Average duration of one iteration for atomic actions:\n"
            "Action: 'a'. 0.50s <= 1.00s\nAction: 'b'. 0.00s <= 2.00s\nStatus: Passed",
        ),
        (
            "max_percentile",
            {"p50": 1, "atomic": {"a": {"p95": 2}}},
            [it(0.5), it(1.5)],
            "Percentiles of successful iterations:\nIteration p50: 1.000s <= 1.000s\n"
            "Action 'a' p95: n/a <= 2.000s\nStatus: Passed",
        ),
        (
            "min_rate",
            1,
            [it(1, start=0), it(1, start=1)],
            "Achieved rate 1.00 iterations/s >= 1.00/s over 2.00s - Passed",
        ),
    ],
)
def test_details_read_like_rally(
    name: str, raw: object, iterations: list[IterationResult], detail: str
):
    sla = criterion(name, raw)
    for one in iterations:
        sla.add(one)
    assert sla.details() == detail
    assert sla.result().criterion == name


def test_outlier_is_judged_against_earlier_iterations_only():
    # Rally checks the k-th successful iteration (k >= min_iterations) against
    # mean + sigmas * std of the ones before it, then updates the threshold.
    sla = criterion("outliers", {"sigmas": 1.0})
    for duration in (1.0, 2.0):
        sla.add(it(duration))
    assert sla.add(it(2.3)) is False  # 1.5 + 1 * 0.707 = 2.207 < 2.3
    assert sla.details().startswith("Maximum number of outliers 1 <= 0")
