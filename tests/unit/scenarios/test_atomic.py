"""Atomic actions: nesting, failure marking, the decorator, recorded timings."""

from __future__ import annotations

import time

import pytest

from squall.scenarios.atomic import AtomicRecorder, atomic


def test_nested_actions_form_a_tree_with_wall_clock_times():
    rec = AtomicRecorder(wall_offset=time.time() - time.monotonic())
    before = time.time()
    with rec.action("outer"):
        with rec.action("inner"):
            time.sleep(0.01)
        with rec.action("inner"):
            pass
    (outer,) = rec.actions
    assert [c.name for c in outer.children] == ["inner", "inner"]
    assert outer.started_at >= before - 0.001
    assert outer.duration >= outer.children[0].duration >= 0.01


def test_an_exception_marks_the_action_and_its_parents_failed():
    rec = AtomicRecorder(0.0)
    with pytest.raises(KeyError), rec.action("outer"), rec.action("inner"):
        raise KeyError("x")
    (outer,) = rec.actions
    assert outer.failed and outer.children[0].failed
    assert outer.finished_at is not None


class Helper:
    def __init__(self) -> None:
        self.atomics = AtomicRecorder(0.0)

    @atomic("nova.boot_server")
    def boot(self, name: str) -> str:
        return f"booted {name}"


def test_decorator_times_the_method_and_keeps_its_result():
    helper = Helper()
    assert helper.boot("a") == "booted a"
    assert [a.name for a in helper.atomics.actions] == ["nova.boot_server"]
    assert Helper.boot.__name__ == "boot"


def test_add_records_an_action_timed_elsewhere_inside_the_current_one():
    rec = AtomicRecorder(0.0)
    with rec.action("outer"):
        rec.add("server_side", 1.0, 3.5)
    child = rec.actions[0].children[0]
    assert (child.name, child.duration, child.failed) == ("server_side", 2.5, False)
