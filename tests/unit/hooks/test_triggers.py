"""Trigger semantics as in Rally: event at listed values, periodic from start by step to end."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from squall.hooks.triggers.event import EventTrigger
from squall.hooks.triggers.periodic import PeriodicTrigger


def event(**cfg):
    return EventTrigger(EventTrigger.parse_config(cfg))


def periodic(**cfg):
    return PeriodicTrigger(PeriodicTrigger.parse_config(cfg))


def test_event_fires_exactly_at_listed_iterations():
    trigger = event(unit="iteration", at=[2, 5, 8])
    assert [v for v in range(1, 12) if trigger.fires_at(v)] == [2, 5, 8]
    assert trigger.unit == "iteration"
    assert trigger.last_value() == 8


@pytest.mark.parametrize(
    ("cfg", "message"),
    [
        ({"unit": "iteration", "at": [0]}, "≥ 1"),
        ({"unit": "time", "at": [-1]}, "≥ 0"),
        ({"unit": "time", "at": [1, 1]}, "unique"),
        ({"unit": "minutes", "at": [1]}, "unit"),
        ({"unit": "time", "at": []}, "at least 1"),
    ],
)
def test_event_rejects_bad_points(cfg, message):
    with pytest.raises(ValidationError, match=message):
        EventTrigger.parse_config(cfg)


def test_periodic_iteration_defaults_start_at_one():
    trigger = periodic(unit="iteration", step=3)
    assert [v for v in range(1, 11) if trigger.fires_at(v)] == [1, 4, 7, 10]
    assert trigger.last_value() is None


def test_periodic_time_defaults_start_at_zero_and_honours_end():
    trigger = periodic(unit="time", step=2, end=6)
    assert [v for v in range(0, 10) if trigger.fires_at(v)] == [0, 2, 4, 6]


def test_periodic_as_in_rallys_self_test():
    trigger = periodic(unit="iteration", step=2, start=4, end=8)
    assert [v for v in range(1, 12) if trigger.fires_at(v)] == [4, 6, 8]


def test_periodic_rejects_end_before_start():
    with pytest.raises(ValidationError, match="end"):
        PeriodicTrigger.parse_config({"unit": "iteration", "step": 1, "start": 5, "end": 2})
