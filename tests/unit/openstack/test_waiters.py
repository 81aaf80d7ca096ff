from dataclasses import dataclass

import pytest

from squall.openstack.errors import ResourceFailed, ResourceNotFound, WaitTimeout
from squall.openstack.waiters import (
    DEFAULTS,
    WaitOverride,
    WaitPolicy,
    quantisation,
    resolve,
    wait_for_all_deleted,
    wait_for_delete,
    wait_for_status,
)


@dataclass
class Thing:
    status: str


class Script:
    """Returns the statuses in order, then repeats the last; counts calls."""

    def __init__(self, *statuses):
        self.statuses = list(statuses)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        value = self.statuses[min(self.calls, len(self.statuses)) - 1]
        if isinstance(value, Exception):
            raise value
        return value if value is None else Thing(value)


def test_rally_defaults():
    assert DEFAULTS["nova_server_boot"] == WaitPolicy(prepoll=1.0, interval=2.0, timeout=300.0)
    assert DEFAULTS["nova_server_delete"] == WaitPolicy(prepoll=2.0, interval=2.0, timeout=300.0)
    # glance_image_import_{timeout,poll_interval}: no prepoll
    assert DEFAULTS["glance_image_import"] == WaitPolicy(prepoll=0.0, interval=2.0, timeout=120.0)


def test_overrides_change_only_what_they_set():
    policy = resolve("nova_server_boot", {"nova_server_boot": WaitOverride(interval=0.5)})
    assert policy == WaitPolicy(prepoll=1.0, interval=0.5, timeout=300.0)
    report = quantisation(["nova_server_boot"], {"nova_server_boot": WaitOverride(timeout=60)})
    assert report == {
        "nova_server_boot.prepoll_delay": 1.0,
        "nova_server_boot.poll_interval": 2.0,
        "nova_server_boot.timeout": 60.0,
    }


def test_waits_prepoll_then_polls_at_the_interval():
    sleeps = []
    fetch = Script("BUILD", "BUILD", "active")
    found = wait_for_status(
        fetch, lambda t: t.status, ["ACTIVE"], WaitPolicy(1.0, 2.0, 300.0), sleep=sleeps.append
    )
    assert found.status == "active"
    assert sleeps == [1.0, 2.0, 2.0] and fetch.calls == 3


def test_failure_status_fails_the_wait():
    with pytest.raises(ResourceFailed, match="ERROR"):
        wait_for_status(
            Script("BUILD", "ERROR"),
            lambda t: t.status,
            ["ACTIVE"],
            WaitPolicy(0, 0.01, 5),
            sleep=lambda s: None,
        )


def test_timeout_names_the_status_and_the_knob():
    with pytest.raises(WaitTimeout) as err:
        wait_for_status(Script("BUILD"), lambda t: t.status, ["ACTIVE"], WaitPolicy(0, 0.001, 0.01))
    assert "BUILD" in err.value.message and err.value.hint and "waits" in err.value.hint


def test_delete_wait_ends_on_not_found_or_none():
    wait_for_delete(
        Script("ACTIVE", ResourceNotFound("gone")), WaitPolicy(0, 0, 5), sleep=lambda s: None
    )
    wait_for_delete(Script("ACTIVE", None), WaitPolicy(0, 0, 5), sleep=lambda s: None)
    wait_for_delete(Script("DELETED"), WaitPolicy(0, 0, 5), sleep=lambda s: None)
    with pytest.raises(WaitTimeout):
        wait_for_delete(Script("ACTIVE"), WaitPolicy(0, 0.001, 0.01))


class Clock:
    """A clock that only moves when slept on."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self):
        return self.now


def test_many_deletions_are_polled_together_until_all_are_gone():
    rounds = []
    remaining = {"a": 1, "b": 3, "c": 0}  # polls each one is still seen for

    def present(pending):
        rounds.append(sorted(pending))
        for key in pending:
            remaining[key] -= 1
        return frozenset(k for k in pending if remaining[k] >= 0)

    clock = Clock()
    policy = WaitPolicy(prepoll=0.5, interval=1.0, timeout=60.0)
    left = wait_for_all_deleted(present, "abc", policy, sleep=clock.sleep, clock=clock)
    assert left == frozenset()
    assert rounds == [["a", "b", "c"], ["a", "b"], ["b"], ["b"]]  # one call per round
    assert clock.sleeps == [0.5, 1.0, 1.0, 1.0]


def test_what_is_still_there_at_the_timeout_is_returned():
    clock = Clock()
    policy = WaitPolicy(prepoll=0.0, interval=2.0, timeout=5.0)
    left = wait_for_all_deleted(
        lambda pending: pending & {"stuck"},
        ["gone", "stuck"],
        policy,
        sleep=clock.sleep,
        clock=clock,
    )
    assert left == {"stuck"} and clock.now >= 5.0


def test_nothing_to_wait_for_is_no_call():
    def present(pending):
        raise AssertionError("polled for nothing")

    assert wait_for_all_deleted(present, [], WaitPolicy(0, 1, 1)) == frozenset()
