"""What a stress run did to each test: passes, failures, errors, and one example each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from squall.iteration import IterationResult

KINDS = {"TestFailed": "failed", "TestError": "error", "TestSkipped": "skipped"}


@dataclass
class Problem:
    kind: str
    message: str
    traceback: str
    count: int = 0


@dataclass
class StressOutcome:
    passed: int = 0
    failed: int = 0
    error: int = 0
    skipped: int = 0
    problems: dict[str, Problem] = field(default_factory=dict)  # first line -> problem

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.error + self.skipped


def outcome_of(iterations: Iterable[IterationResult]) -> StressOutcome:
    """Count outcomes (errors squall itself met, such as a worker dying, are errors)."""
    result = StressOutcome()
    for it in iterations:
        if it.error is None:
            result.passed += 1
            continue
        kind = KINDS.get(it.error.type, "error")
        setattr(result, kind, getattr(result, kind) + 1)
        key = it.error.message.splitlines()[0] if it.error.message else it.error.type
        problem = result.problems.setdefault(
            key, Problem(kind, it.error.message, it.error.traceback)
        )
        problem.count += 1
    return result
