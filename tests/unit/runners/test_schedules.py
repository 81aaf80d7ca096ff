"""Runner policies: which slots a schedule hands out, with no clock and no engine."""

from __future__ import annotations

import itertools

import pytest
from pydantic import ValidationError

from squall.runners.constant import ConstantRunner
from squall.runners.constant_for_duration import ConstantForDurationRunner
from squall.runners.rps import CATCH_UP_FACTOR, TIMER_SLACK, Ramp, RPSRunner
from squall.runners.serial import SerialRunner


def drain(schedule, now=0.0):
    slots = []
    while (slot := schedule.next(now)) is not None:
        slots.append(slot)
    return slots


def test_constant_hands_out_times_slots_numbered_from_one():
    runner = ConstantRunner(ConstantRunner.parse_config({"times": 5, "concurrency": 2}))
    slots = drain(runner.plan(), now=3.0)
    assert [s.number for s in slots] == [1, 2, 3, 4, 5]
    assert all(s.scheduled == s.not_before == 3.0 for s in slots)
    assert runner.workers == 2


def test_constant_rejects_concurrency_above_times():
    with pytest.raises(ValidationError, match="must not exceed times"):
        ConstantRunner.parse_config({"times": 2, "concurrency": 3})


def test_constant_defaults_match_rally():
    cfg = ConstantRunner.parse_config({})
    assert (cfg.times, cfg.concurrency, cfg.timeout) == (1, 1, 0)
    assert ConstantRunner(cfg).timeout is None


def test_serial_accepts_unknown_keys_and_runs_one_at_a_time():
    runner = SerialRunner(SerialRunner.parse_config({"times": 3, "concurrency": 9}))
    assert runner.workers == 1
    assert len(drain(runner.plan())) == 3


def test_constant_for_duration_stops_after_duration():
    runner = ConstantForDurationRunner(
        ConstantForDurationRunner.parse_config({"duration": 2, "concurrency": 2})
    )
    assert runner.timeout == 600
    schedule = runner.plan()
    assert schedule.next(0.0) is not None
    assert schedule.next(1.9) is not None
    assert schedule.next(2.0) is None


def test_constant_for_duration_zero_runs_once_per_worker():
    runner = ConstantForDurationRunner(
        ConstantForDurationRunner.parse_config({"duration": 0, "concurrency": 3})
    )
    assert len(drain(runner.plan(), now=0.0)) == 3


def test_rps_grid_is_evenly_spaced_from_zero():
    runner = RPSRunner(RPSRunner.parse_config({"times": 4, "rps": 10}))
    schedule = runner.plan()
    assert schedule.open_loop
    scheduled = [s.scheduled for s in drain(schedule)]
    assert scheduled == pytest.approx([0.0, 0.1, 0.2, 0.3])
    assert schedule.expected_duration == pytest.approx(0.3)
    assert runner.workers == 4  # max_concurrency defaults to times


def test_rps_ramp_is_global_and_plateaus_at_end():
    ramp = Ramp(start=10, end=20, step=10, duration=2)
    assert [ramp.rate(t) for t in (0, 1.9, 2.0, 5.0, 100.0)] == [10, 10, 20, 20, 20]
    runner = RPSRunner(
        RPSRunner.parse_config(
            {"times": 600, "rps": {"start": 10, "end": 20, "step": 10, "duration": 2}}
        )
    )
    starts = [s.scheduled for s in drain(runner.plan())]
    per_second = [sum(1 for t in starts if k <= t < k + 1) for k in range(10)]
    assert per_second[:2] == [10, 10]
    assert per_second[2:10] == [20] * 8


def test_rps_ramp_rejects_end_below_start():
    with pytest.raises(ValidationError, match="must be ≥ start"):
        RPSRunner.parse_config({"times": 1, "rps": {"start": 5, "end": 2, "step": 1}})


def test_rps_lateness_within_timer_granularity_keeps_the_grid():
    runner = RPSRunner(RPSRunner.parse_config({"times": 4, "rps": 1000}))
    schedule = runner.plan()
    # a wake-up 1.5 ms late finds two slots due: both keep their grid times
    slots = [schedule.next(0.0015), schedule.next(0.0015), schedule.next(0.0015)]
    assert [s.not_before for s in slots] == pytest.approx([0.0, 0.001, 0.002])


def test_rps_late_iterations_are_spaced_not_burst():
    runner = RPSRunner(RPSRunner.parse_config({"times": 10, "rps": 10}))
    schedule = runner.plan()
    # The first worker is on time; then the loop stalls for a whole second.
    first = schedule.next(0.0)
    assert first is not None and first.not_before == 0.0
    late = [schedule.next(1.0) for _ in range(5)]
    starts = [max(s.not_before, 1.0) for s in late]  # when each may actually start
    assert starts[0] == 1.0
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    min_gap = 0.1 / CATCH_UP_FACTOR
    assert gaps[0] == pytest.approx(min_gap - TIMER_SLACK)  # spacing restarts from the stall
    assert all(g == pytest.approx(min_gap) for g in gaps[1:])
    # ...while each still records when it was meant to start.
    assert [s.scheduled for s in late] == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5])
