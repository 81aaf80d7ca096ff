"""Servers that lost their anti-affinity group's placement race are booted again alone."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from squall.dataplane.providers.openstack_placement import PlacementRace, lost_race, settle
from squall.errors import CloudError

#: nova's fault after the late check rescheduled a server until no host was left
EXHAUSTED = (
    "Exceeded maximum number of retries. Exhausted all hosts available for retrying "
    "build failures for instance 6600d71a-d5d7-4e90-bb1c-cb95b1490e36."
)


def test_a_grouped_server_that_ran_out_of_hosts_lost_the_race():
    assert lost_race(EXHAUSTED, grouped=True)
    violated = (
        "Build of instance x was re-scheduled: Anti-affinity instance group policy was violated"
    )
    assert lost_race(violated, grouped=True)


def test_other_faults_and_servers_without_a_group_did_not():
    assert not lost_race(EXHAUSTED, grouped=False)
    no_host = "No valid host was found. There are not enough hosts available."
    assert not lost_race(no_host, grouped=True)
    assert not lost_race("no fault recorded", grouped=True)


def _concurrently(fn, items):
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(fn, item) for item in items]
    for future in futures:
        if future.exception() is not None:
            raise future.exception()


def test_only_the_servers_that_lost_the_race_are_replaced_one_at_a_time():
    events: list[str] = []

    def active(instance: str) -> None:
        if instance in ("server2", "server1"):
            raise PlacementRace(f"{instance} went to status ERROR: {EXHAUSTED}")
        events.append(f"active {instance}")

    def replace(instance: str) -> None:
        events.append(f"replace {instance}")

    replaced = settle(["server0", "server1", "server2", "server3"], active, replace, _concurrently)

    assert replaced == ["server1", "server2"]
    # every wait ended before the first replacement: the others' hosts are known
    assert events[-2:] == ["replace server1", "replace server2"]
    assert sorted(events[:-2]) == ["active server0", "active server3"]


def test_any_other_failure_stops_staging_before_anything_is_replaced():
    replaced: list[str] = []

    def active(instance: str) -> None:
        if instance == "server0":
            raise PlacementRace("lost")
        if instance == "server1":
            raise CloudError("server1 went to status ERROR: disk full")

    with pytest.raises(CloudError, match="disk full"):
        settle(["server0", "server1"], active, replaced.append, _concurrently)
    assert replaced == []
