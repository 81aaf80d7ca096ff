"""The shared executor, driven directly: no store, no CLI, real asyncio and threads."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from squall.engine.abort import AbortSignal
from squall.engine.executor import Executor, ScenarioCall
from squall.runners.constant import ConstantRunner
from squall.runners.rps import RPSRunner
from squall.scenarios.base import ScenarioContext
from squall.scenarios.dummy import Dummy, DummyException
from squall.testing.scenarios import BlockingSleep


def run(scenario, args, runner_cls, runner_args, *, abort_after=None, backpressure=None):
    results = []
    runner = runner_cls(runner_cls.parse_config(runner_args))

    async def go():
        abort = AbortSignal()
        pool = ThreadPoolExecutor(max_workers=max(runner.workers, 1))
        executor = Executor(
            ScenarioCall(scenario, scenario.parse_config(args), ScenarioContext()),
            runner.plan(),
            workers=runner.workers,
            timeout=runner.timeout,
            pool=pool,
            abort=abort,
            sink=results.append,
            backpressure=backpressure,
        )
        if abort_after is not None:
            asyncio.get_running_loop().call_later(abort_after, abort.request)
        await executor.run()
        pool.shutdown(wait=True)

    asyncio.run(go())
    return results


def test_constant_runs_every_iteration_once_with_nested_atomics():
    results = run(Dummy, {"sleep": 0.001}, ConstantRunner, {"times": 40, "concurrency": 4})
    assert sorted(r.number for r in results) == list(range(1, 41))
    first = results[0]
    assert [a.name for a in first.atomic_actions] == ["foo"]
    assert [c.name for c in first.atomic_actions[0].children] == ["bar"]
    assert all(r.error is None for r in results)


def test_failures_are_recorded_with_type_message_and_traceback():
    results = run(DummyException, {"sleep": 0, "message": "boom"}, ConstantRunner, {"times": 3})
    assert len(results) == 3
    for r in results:
        assert r.error is not None
        assert (r.error.type, r.error.message) == ("DummyScenarioException", "boom")
        assert "Traceback" in r.error.traceback


def test_async_timeout_records_the_timeout_as_duration():
    results = run(
        Dummy, {"sleep": 5}, ConstantRunner, {"times": 2, "concurrency": 2, "timeout": 0.05}
    )
    assert [r.error.type for r in results] == ["TimeoutError", "TimeoutError"]
    assert all(r.duration == 0.05 for r in results)


def test_blocking_scenarios_run_on_threads_up_to_concurrency():
    BlockingSleep.reset()
    results = run(BlockingSleep, {"sleep": 0.02}, ConstantRunner, {"times": 24, "concurrency": 6})
    assert len(results) == 24
    assert BlockingSleep.peak == 6
    assert all(r.duration >= 0.02 for r in results)


def test_think_time_is_idle_not_duration():
    BlockingSleep.reset()
    (result,) = run(BlockingSleep, {"sleep": 0, "think": 0.05}, ConstantRunner, {"times": 1})
    assert result.idle_duration == pytest.approx(0.05)
    assert result.duration < 0.05


def test_blocking_timeout_does_not_wait_for_the_thread():
    BlockingSleep.reset()
    (result,) = run(BlockingSleep, {"sleep": 0.5}, ConstantRunner, {"times": 1, "timeout": 0.05})
    assert result.error is not None and result.error.type == "TimeoutError"
    assert result.duration == 0.05


def test_rps_records_intended_starts_on_the_grid():
    results = run(Dummy, {"sleep": 0}, RPSRunner, {"times": 20, "rps": 200})
    results.sort(key=lambda r: r.number)
    assert [r.scheduled_offset for r in results] == pytest.approx([i / 200 for i in range(20)])
    assert all(r.start_offset >= r.scheduled_offset for r in results)
    assert all(r.latency >= r.duration for r in results)


def test_soft_abort_stops_scheduling_and_lets_in_flight_finish():
    results = run(
        Dummy, {"sleep": 0.05}, ConstantRunner, {"times": 1000, "concurrency": 2}, abort_after=0.12
    )
    assert 2 <= len(results) < 20
    assert all(r.error is None for r in results)  # in-flight iterations were not cut


class _Writer:
    """A store writer that lets ``lag`` results wait at most: the closed loop must wait."""

    def __init__(self, lag: int) -> None:
        self.lag = lag
        self.received: list[object] = []
        self.stored = 0
        self.waits = 0
        self.most_unstored = 0

    def sink(self, result: object) -> None:
        self.received.append(result)
        self.most_unstored = max(self.most_unstored, len(self.received) - self.stored)

    @property
    def full(self) -> bool:
        return len(self.received) - self.stored >= self.lag

    async def room(self) -> None:
        self.waits += 1
        await asyncio.sleep(0)
        self.stored = len(self.received)  # the writer caught up


def test_a_closed_loop_waits_for_the_store_to_catch_up():
    writer = _Writer(lag=5)
    runner = ConstantRunner(ConstantRunner.parse_config({"times": 60, "concurrency": 3}))

    async def go() -> None:
        pool = ThreadPoolExecutor(max_workers=3)
        await Executor(
            ScenarioCall(Dummy, Dummy.parse_config({"sleep": 0}), ScenarioContext()),
            runner.plan(),
            workers=3,
            timeout=None,
            pool=pool,
            abort=AbortSignal(),
            sink=writer.sink,
            backpressure=writer,
        ).run()
        pool.shutdown(wait=True)

    asyncio.run(go())
    assert len(writer.received) == 60
    assert writer.waits >= 60 // (5 + 3) - 1
    assert writer.most_unstored <= 5 + 3  # the lag plus what was in flight
