"""Building a workload's criteria from its ``sla`` mapping; Rally's pseudo-criteria."""

from __future__ import annotations

import pytest

from squall.errors import ConfigError, PluginError
from squall.iteration import ErrorInfo, IterationResult
from squall.plugins.loader import load_registry
from squall.sla.base import SLAResult
from squall.sla.checker import SLAChecker, build_criteria, validate_sla

REGISTRY = load_registry()


def it(duration: float, failed: bool = False) -> IterationResult:
    return IterationResult(
        1, 0.0, 0.0, 0.0, duration, error=ErrorInfo("E", "m") if failed else None
    )


def test_every_builtin_criterion_is_registered():
    from squall.plugins.families import Family

    assert set(REGISTRY.names(Family.SLA)) >= {
        "failure_rate",
        "max_seconds_per_iteration",
        "max_avg_duration",
        "max_avg_duration_per_atomic",
        "outliers",
        "performance_degradation",
        "max_percentile",
        "min_rate",
    }


def test_criteria_follow_the_mapping_order():
    criteria = build_criteria(REGISTRY, {"max_avg_duration": 1, "failure_rate": {"max": 0}})
    assert [c.name for c in criteria] == ["max_avg_duration", "failure_rate"]


def test_unknown_criterion_names_the_nearest():
    with pytest.raises(PluginError) as info:
        build_criteria(REGISTRY, {"failure_rat": {"max": 0}})
    assert "failure_rat" in info.value.message
    assert info.value.hint is not None and "failure_rate" in info.value.hint


def test_bad_arguments_point_at_the_field():
    with pytest.raises(ConfigError) as info:
        build_criteria(REGISTRY, {"failure_rate": {"max": 150}})
    assert "sla.failure_rate.max" in str(info.value)


def test_validation_reports_every_problem_at_once():
    problems = validate_sla(
        REGISTRY,
        {"failure_rat": {}, "outliers": {"sigmas": -1, "max": -1}, "max_avg_duration": 1},
    )
    locations = sorted(p.location for p in problems)
    assert locations == ["sla.failure_rat", "sla.outliers.max", "sla.outliers.sigmas"]
    assert any(p.hint and "failure_rate" in p.hint for p in problems)


def test_add_is_false_once_any_criterion_fails_and_all_are_fed():
    checker = SLAChecker(REGISTRY, {"failure_rate": {"max": 0}, "max_seconds_per_iteration": 1})
    assert checker.add(it(0.5)) is True
    assert checker.add(it(0.5, failed=True)) is False
    assert checker.add(it(2.0)) is False
    assert [r.success for r in checker.results()] == [False, False]
    assert "2.00s" in checker.results()[1].detail  # the second criterion saw every iteration
    assert checker.passed is False


def test_no_criteria_passes():
    checker = SLAChecker(REGISTRY, {})
    assert checker.add(it(1.0, failed=True)) is True
    assert checker.results() == []
    assert checker.passed is True


def test_pseudo_criteria_follow_the_real_ones_in_rallys_order():
    checker = SLAChecker(REGISTRY, {"failure_rate": {"max": 0}})
    checker.add(it(0.1))
    results = checker.results(aborted_on_sla=True, aborted_manually=True, error="KeyError: 'x'")
    assert results == [
        SLAResult("failure_rate", True, "Failure rate criteria 0.00% <= 0.00% <= 0.00% - Passed"),
        SLAResult("aborted_on_sla", False, "Task was aborted due to SLA failure(s)."),
        SLAResult("aborted_manually", False, "Task was aborted due to abort signal."),
        SLAResult("something_went_wrong", False, "Unexpected error: KeyError: 'x'"),
    ]


def test_merge_refuses_another_configuration():
    a = SLAChecker(REGISTRY, {"failure_rate": {"max": 0}})
    b = SLAChecker(REGISTRY, {"failure_rate": {"max": 1}})
    with pytest.raises(ValueError, match="same SLA configuration"):
        a.merge(b)
