"""A streaming mean that merges exactly (private).

Durations are summed as whole nanoseconds, so adding values one by one and merging
partial sums give the same total bit for bit, in any order; a sub-nanosecond
rounding of each value is far below what any clock here resolves.
"""

from __future__ import annotations

NANOS = 1_000_000_000


class ExactMean:
    __slots__ = ("count", "total_ns", "value")

    def __init__(self) -> None:
        self.count = 0
        self.total_ns = 0
        self.value = 0.0  # 0 while nothing was added, as Rally reports it

    def add(self, seconds: float) -> None:
        self.count += 1
        self.total_ns += round(seconds * NANOS)
        self.value = self.total_ns / self.count / NANOS

    def merge(self, other: ExactMean) -> None:
        self.count += other.count
        self.total_ns += other.total_ns
        self.value = self.total_ns / self.count / NANOS if self.count else 0.0
