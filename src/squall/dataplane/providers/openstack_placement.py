"""Servers nova failed to place because their anti-affinity group was placed at once.

Nova checks an anti-affinity group twice: the scheduler's filter sees only the
members already recorded on a host, and the compute's late check catches two members
that claimed the same host at the same time and reschedules them. Booting a group's
members concurrently, as staging does, on a cloud with about as many hosts as
members can make both losers of such a race run out of alternates (nova's fault:
"Exceeded maximum number of retries. Exhausted all hosts available ..."). Those
servers (and only those) are booted again one at a time once the others are ACTIVE,
when every other member's host is known; a second failure is a real one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from squall.errors import CloudError

#: what nova's fault says when the late check, not a lack of hosts, failed a server
RACE_FAULTS = (
    "exhausted all hosts available for retrying",
    "anti-affinity instance group policy was violated",
)


class PlacementRace(CloudError):
    """A server of an anti-affinity group lost nova's placement race (ERROR)."""


def lost_race(fault: str, grouped: bool) -> bool:
    """Whether nova's ``fault`` for a server in ERROR says it lost its anti-affinity
    group's concurrent placement (``grouped``: the server is in such a group) (pure)."""
    text = fault.lower()
    return grouped and any(sign in text for sign in RACE_FAULTS)


def settle(
    instances: Iterable[str],
    active: Callable[[str], None],
    replace: Callable[[str], None],
    run_all: Callable[[Callable[[str], None], list[str]], None],
) -> list[str]:
    """Wait for every instance (``run_all(active, ...)``, concurrently); those whose
    ``active`` raised ``PlacementRace`` get ``replace`` (boot again and wait), one
    after the other. The instances replaced, in order."""
    raced: list[str] = []

    def wait(instance: str) -> None:
        try:
            active(instance)
        except PlacementRace:
            raced.append(instance)

    run_all(wait, list(instances))
    raced.sort()
    for instance in raced:
        replace(instance)
    return raced
