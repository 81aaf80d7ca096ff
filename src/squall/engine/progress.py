"""How the engine tells its caller what is happening (the CLI draws it, the server streams it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from squall.results.records import WorkloadSummary


@dataclass(frozen=True, slots=True)
class WorkloadStart:
    subtask_index: int
    workload_index: int
    subtask_title: str
    scenario: str
    runner: str
    expected_total: int | None
    expected_duration: float | None


@dataclass(slots=True)
class Counters:
    """Live counts of the running workload, updated as iterations end."""

    done: int = 0
    failed: int = 0
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


class Progress(Protocol):
    def workload_started(self, start: WorkloadStart, counters: Counters) -> None: ...
    def workload_finished(self, summary: WorkloadSummary) -> None: ...


class NoProgress:
    """Progress that shows nothing (library use, tests)."""

    def workload_started(self, start: WorkloadStart, counters: Counters) -> None:
        return None

    def workload_finished(self, summary: WorkloadSummary) -> None:
        return None
