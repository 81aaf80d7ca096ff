"""Counting a stress run's outcomes from its iterations."""

from __future__ import annotations

from squall.iteration import ErrorInfo, IterationResult
from squall.stress.report import outcome_of


def it(number: int, error: ErrorInfo | None = None) -> IterationResult:
    return IterationResult(number, 0.0, 0.0, 0.0, 0.1, error=error)


def test_counts_and_groups_problems() -> None:
    failed = ErrorInfo("TestFailed", "a.py::t: AssertionError: x\nmore", "tb1")
    result = outcome_of(
        [
            it(1),
            it(2, failed),
            it(3, failed),
            it(4, ErrorInfo("TestError", "a.py::u (in setup): RuntimeError: y", "tb2")),
            it(5, ErrorInfo("TestSkipped", "a.py::v: Skipped: no", "")),
            it(6, ErrorInfo("TimeoutError", "iteration timed out after 1 s")),
        ]
    )
    assert (result.passed, result.failed, result.error, result.skipped) == (1, 2, 2, 1)
    assert result.total == 6
    problem = result.problems["a.py::t: AssertionError: x"]
    assert (problem.kind, problem.count, problem.traceback) == ("failed", 2, "tb1")
    assert result.problems["iteration timed out after 1 s"].kind == "error"
