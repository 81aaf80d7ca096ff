"""Synthetic records shaped like a real run's: tasks, environments, iterations.

Iteration values come from the same float arithmetic a real run does: a monotonic
clock (an uptime-sized float) differenced into offsets and durations, a wall clock
near today's epoch, one nested atomic-action pair per iteration, and iterations
listed in the order they finished. The store's tests use them to measure its size
and to feed concurrent writers; anything that consumes iteration records may.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from squall.iteration import AtomicAction, ErrorInfo, IterationResult
from squall.results.records import Environment
from squall.task.model import PluginRef, Subtask, Task, Workload

# the probe task of the reference measurement: 28,000 iterations in 5 workloads
PROBE_WORKLOADS = [
    # (iterations, concurrency or None, rps or None, sleep seconds)
    (10_000, 20, None, 0.0),
    (5_000, 100, None, 0.1),
    (3_000, None, 200.0, 0.05),
    (5_000, None, 500.0, 0.05),
    (5_000, None, 1000.0, 0.05),
]


def _durations(rng: random.Random, sleep: float) -> tuple[float, float, float]:
    """Scenario overhead before the child, the child's length, overhead after it."""
    before = rng.lognormvariate(-11.0, 0.6)  # ~ 17 us
    child = sleep + rng.lognormvariate(-9.5, 0.8)  # sleep + ~ 75 us
    after = rng.lognormvariate(-11.5, 0.6)
    return before, child, after


def workload(
    count: int,
    *,
    concurrency: int | None = None,
    rps: float | None = None,
    sleep: float = 0.0,
    seed: int = 1,
    error_every: int = 0,
) -> list[IterationResult]:
    """``count`` iterations of a nested-pair scenario, in completion order."""
    rng = random.Random(seed)
    mono0 = 183_742.0 + rng.random() * 1000.0  # perf_counter() after two days of uptime
    wall0 = 1_795_000_000.0 + rng.random() * 1000.0
    slots = [mono0] * (concurrency or 1)
    records: list[tuple[float, IterationResult]] = []
    for i in range(count):
        if rps is not None:
            scheduled_mono = mono0 + i / rps
            start_mono = scheduled_mono + rng.lognormvariate(-10.0, 0.7)
        else:
            slot = min(range(len(slots)), key=slots.__getitem__)
            scheduled_mono = slots[slot]
            start_mono = scheduled_mono + rng.lognormvariate(-11.0, 0.5)
        before, child, after = _durations(rng, sleep)
        end_mono = start_mono + before + child + after
        if rps is None:
            slots[slot] = end_mono
        outer_start = wall0 + (start_mono - mono0)
        inner_start = wall0 + (start_mono + before - mono0)
        inner_end = wall0 + (start_mono + before + child - mono0)
        outer_end = wall0 + (end_mono - mono0)
        failed = bool(error_every) and i % error_every == 0
        inner = AtomicAction("dummy.sleep", inner_start, inner_end, failed=failed)
        outer = AtomicAction("dummy.outer", outer_start, outer_end, [inner], failed=failed)
        error = (
            ErrorInfo("DummyError", f"iteration {i + 1} failed", "Traceback ...\nDummyError\n")
            if failed
            else None
        )
        it = IterationResult(
            number=i + 1,
            scheduled_offset=scheduled_mono - mono0,
            start_offset=start_mono - mono0,
            timestamp=wall0 + (start_mono - mono0) + rng.uniform(0, 2e-6),
            duration=end_mono - start_mono,
            error=error,
            atomic_actions=[outer],
            worker=i % 2,
        )
        records.append((end_mono, it))
    records.sort(key=lambda pair: pair[0])
    return [it for _, it in records]


def probe_task() -> Iterator[list[IterationResult]]:
    """The five workloads of the reference probe task (28,000 iterations)."""
    for seed, (count, concurrency, rps, sleep) in enumerate(PROBE_WORKLOADS):
        yield workload(count, concurrency=concurrency, rps=rps, sleep=sleep, seed=seed)


def batches(items: list[IterationResult], size: int = 1000) -> Iterator[list[IterationResult]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def stream(count: int, batch: int = 1000, seed: int = 7) -> Iterator[list[IterationResult]]:
    """``count`` iterations of an rps-like run in batches, without holding them all."""
    rng = random.Random(seed)
    mono0 = 183_742.0 + rng.random()
    wall0 = 1_795_000_000.0 + rng.random()
    for first in range(0, count, batch):
        items = []
        for i in range(first, min(first + batch, count)):
            start = mono0 + i / 1000.0 + rng.lognormvariate(-10.0, 0.7)
            before, child, after = _durations(rng, 0.05)
            end = start + before + child + after
            inner = AtomicAction(
                "dummy.sleep",
                wall0 + (start + before - mono0),
                wall0 + (start + before + child - mono0),
            )
            outer = AtomicAction(
                "dummy.outer", wall0 + (start - mono0), wall0 + (end - mono0), [inner]
            )
            items.append(
                IterationResult(
                    number=i + 1,
                    scheduled_offset=i / 1000.0,
                    start_offset=start - mono0,
                    timestamp=wall0 + (start - mono0),
                    duration=end - start,
                    atomic_actions=[outer],
                )
            )
        yield items


def make_task(title: str = "probe", tags: list[str] | None = None, workloads: int = 2) -> Task:
    return Task(
        title=title,
        description="a task for the store tests",
        tags=tags or [],
        subtasks=[
            Subtask(
                title=f"subtask {title}",
                workloads=[
                    Workload(
                        scenario=PluginRef(name="Dummy.dummy", args={"sleep": 0.1 * i}),
                        runner=PluginRef(name="constant", args={"times": 10, "concurrency": 2}),
                    )
                    for i in range(workloads)
                ],
            )
        ],
    )


def make_env() -> Environment:
    return Environment(
        squall_version="0.1.0",
        python="3.11.7",
        host="bench-1",
        platform="Linux-6.1-x86_64",
        cloud={"name": "devcloud", "region": "RegionOne", "api": {"compute": "2.96"}},
        extra={"ratio": 0.1 + 0.2},
    )
