"""Deleting what squall left in a cloud: from the journal, the names and the tags.

``plan()`` (pure) merges journal rows and resources discovered by name into one
list of ``Leftover`` in dependency order: servers first, then floating IPs,
trunks (before their parent ports and subports), router interfaces and gateways,
ports, routers, subnets, networks, security groups, volume backups (the newest
first: an incremental backup before the one it builds on), snapshots, volumes,
images, server groups, hosts of aggregates, aggregates, keypairs, flavors, QoS
associations, QoS specs, volume types, and keystone roles, services, users and
projects last. ``Cleaner`` deletes a kind once every kind that ``must_precede`` it
is gone (kinds of unrelated services, e.g. networks and volumes, at the same time),
the resources of a kind concurrently, every API call rate-limited
(``ratelimit.Api``). It treats "not found" as done, waits until servers, backups,
snapshots and volumes are really gone (all of a kind in one poll:
``waiters.wait_for_all_deleted``), and marks journal rows as it goes, so an
interrupted cleanup resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from squall.errors import CloudError
from squall.openstack.deleters import DELETERS, GONE
from squall.openstack.errors import ResourceNotFound
from squall.openstack.inventory import Found, list_kind
from squall.openstack.journal import EntryState, Journal, JournalEntry, ResourceKind
from squall.openstack.leftover import CleanupReport, Leftover
from squall.openstack.ratelimit import Api, RateLimiter
from squall.openstack.waiters import WaitPolicy, resolve, wait_for_all_deleted

__all__ = [
    "ORDER",
    "RANK",
    "Cleaner",
    "CleanupReport",
    "Leftover",
    "RateLimiter",
    "carried",
    "must_precede",
    "plan",
    "startable",
]

K = ResourceKind
ORDER: tuple[ResourceKind, ...] = (
    K.SERVER,
    K.FLOATING_IP,
    K.TRUNK,
    K.ROUTER_INTERFACE,
    K.ROUTER_GATEWAY,
    K.PORT,
    K.ROUTER,
    K.SUBNET,
    K.NETWORK,
    K.SECURITY_GROUP,
    K.VOLUME_BACKUP,
    K.VOLUME_SNAPSHOT,
    K.VOLUME,
    K.IMAGE,
    K.SERVER_GROUP,
    K.AGGREGATE_HOST,
    K.AGGREGATE,
    K.KEYPAIR,
    K.FLAVOR,
    K.QOS_ASSOCIATION,
    K.QOS,
    K.VOLUME_TYPE,
    K.ROLE,
    K.SERVICE,
    K.USER,
    K.PROJECT,
)
RANK = {kind: index for index, kind in enumerate(ORDER)}


def _service(kind: ResourceKind) -> str:
    return kind.value.partition(".")[0]


#: kinds that wait, within their service, only for these: a security group is in use
#: only by ports (servers', trunks'), never by routers, subnets or networks
ONLY_AFTER: dict[ResourceKind, frozenset[ResourceKind]] = {
    K.SECURITY_GROUP: frozenset({K.PORT, K.TRUNK}),
}


def must_precede(first: ResourceKind, then: ResourceKind) -> bool:
    """Whether every ``first`` must be gone before any ``then`` is deleted (pure).

    ``ORDER`` is a total order; the real dependencies are fewer. Within one service
    ``ORDER`` holds (ports before routers before subnets before networks; snapshots
    before volumes before volume types) except for the kinds of ``ONLY_AFTER``.
    Across services: servers go first (they hold ports, volumes, images, keypairs,
    flavors), images after volumes (a volume being uploaded to an image), keystone's
    kinds after everything (the rest belongs to its projects and users), but not
    after each other (keystone drops a deleted user's or project's role assignments
    itself). Other kinds, e.g. networks and volumes, or routers and security groups,
    go at the same time.
    """
    if RANK.get(first, len(RANK)) >= RANK.get(then, len(RANK)):
        return False
    if then not in RANK:  # a kind the order does not know: after everything known
        return True
    if _service(then) == "keystone":  # keystone's own kinds do not wait for each other
        return _service(first) != "keystone"
    if first is K.SERVER:
        return True
    if then in ONLY_AFTER:
        return first in ONLY_AFTER[then]
    return _service(first) == _service(then) or (then is K.IMAGE and _service(first) == "cinder")


def startable(
    waiting: Collection[ResourceKind], unfinished: Collection[ResourceKind]
) -> list[ResourceKind]:
    """The kinds of ``waiting`` that no kind of ``unfinished`` must precede (pure)."""
    return sorted(
        (k for k in waiting if not any(must_precede(u, k) for u in unfinished)),
        key=lambda k: RANK.get(k, len(RANK)),
    )


def plan(entries: Iterable[JournalEntry], found: Iterable[Found]) -> list[Leftover]:
    """Journal rows plus discovered resources, merged and in deletion order (pure).

    A row with an id is matched to the cloud by id, a row without one (killed
    between the journal write and the create call's answer) by kind and name.
    """
    by_key: dict[tuple[ResourceKind, str], Leftover] = {}
    for f in found:
        by_key[(f.kind, f.id)] = Leftover(
            f.kind, f.name, f.id, f.project_id, f.parent_id, f.user_id, created_at=f.created
        )
    by_name: dict[tuple[ResourceKind, str], list[Leftover]] = {}
    for item in by_key.values():
        by_name.setdefault((item.kind, item.name), []).append(item)
    orphans: list[Leftover] = []
    for e in entries:
        if e.state is EntryState.DELETED:
            continue
        if e.resource_id:
            key = (e.kind, e.resource_id)
            item = by_key.setdefault(
                key,
                Leftover(
                    e.kind,
                    e.name,
                    e.resource_id,
                    e.project_id,
                    e.parent_id,
                    created_at=e.created_at,
                ),
            )
            item.parent_id = item.parent_id or e.parent_id
            item.entries.append(e.id)
            continue
        named = by_name.get((e.kind, e.name))
        if named:
            for item in named:
                item.entries.append(e.id)
        else:
            orphans.append(
                Leftover(
                    e.kind, e.name, None, e.project_id, e.parent_id, None, [e.id], e.created_at
                )
            )
    items = list(by_key.values()) + orphans
    return sorted(items, key=lambda i: (RANK.get(i.kind, len(RANK)), i.name, i.id or ""))


def carried(leftovers: Iterable[Leftover]) -> dict[str, list[Leftover]]:
    """Subnets that go with their network, by network id (pure).

    Neutron deletes a network's subnets with it (or neither: 409 while a port is in
    use), so a subnet whose network is deleted too needs no call of its own. A subnet
    knows its network (``parent_id``) when seen in the cloud or journaled with it (as
    the network context does); other subnets are deleted one by one.
    """
    items = list(leftovers)
    networks = {i.id for i in items if i.kind is K.NETWORK and i.id}
    riders: dict[str, list[Leftover]] = {}
    for item in items:
        if item.kind is K.SUBNET and item.id and item.parent_id in networks:
            riders.setdefault(item.parent_id, []).append(item)
    return riders


#: kinds whose resources hang on newer ones of the same kind (a volume backup on its
#: incremental backups): their band asks for the newest first
NEWEST_FIRST = frozenset({K.VOLUME_BACKUP})

#: above this many resources waited for, one poll round lists the kind; below, reads each
LIST_ABOVE = 3


@dataclass
class Outcome:
    """What became of one leftover: the ids asked to be deleted, or why not."""

    item: Leftover
    ids: list[str] = field(default_factory=list)
    error: str | None = None


class Cleaner:
    """Deletes leftovers in dependency order, as the admin of one cloud."""

    def __init__(
        self,
        conn: Any,
        journal: Journal | None = None,
        *,
        rate: float = 20.0,
        workers: int = 16,
        policy: WaitPolicy | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.conn = conn
        self.journal = journal
        self.api = Api(conn, limiter or RateLimiter(rate))
        self.workers = max(1, workers)
        self.policy = policy or resolve("cleanup_delete")

    def run(self, leftovers: list[Leftover], *, dry_run: bool = False) -> CleanupReport:
        report = CleanupReport(planned=list(leftovers), dry_run=dry_run)
        if dry_run or not leftovers:
            return report
        riders = carried(leftovers)
        riding = {id(item) for items in riders.values() for item in items}
        bands: dict[ResourceKind, list[Leftover]] = {}
        for item in leftovers:
            if id(item) not in riding:
                bands.setdefault(item.kind, []).append(item)
        outcomes = self._schedule(bands, riders)
        position = {id(item): index for index, item in enumerate(leftovers)}
        outcomes.sort(key=lambda outcome: position[id(outcome.item)])
        report.deleted = [o.item for o in outcomes if o.error is None]
        report.failed = [(o.item, o.error) for o in outcomes if o.error is not None]
        return report

    def _schedule(
        self,
        bands: dict[ResourceKind, list[Leftover]],
        riders: dict[str, list[Leftover]],
    ) -> list[Outcome]:
        """Start each kind's band once no unfinished kind must precede it."""
        outcomes: list[Outcome] = []
        waiting = dict(bands)
        running: dict[Future[list[Outcome]], ResourceKind] = {}
        with ThreadPoolExecutor(len(bands), "squall-cleanup-band") as starter:
            while waiting or running:
                for kind in startable(waiting, [*waiting, *running.values()]):
                    band = waiting.pop(kind)
                    running[starter.submit(self._band, kind, band, riders)] = kind
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    del running[future]
                    outcomes += future.result()
        return outcomes

    def _band(
        self,
        kind: ResourceKind,
        band: list[Leftover],
        riders: dict[str, list[Leftover]],
    ) -> list[Outcome]:
        """Delete every leftover of one kind (``workers`` at a time: each band has its
        own threads, so a long band never queues another's calls behind its own; the
        rate limiter is what they share); wait until they are gone if they linger."""
        if kind in NEWEST_FIRST:
            band = sorted(band, key=lambda item: item.created_at or 0.0, reverse=True)
        with ThreadPoolExecutor(min(self.workers, len(band)), f"squall-cleanup-{kind}") as pool:
            outcomes = list(pool.map(self._delete, band))
        if kind in GONE:
            self._await_gone(kind, outcomes)
        outcomes += [rider for o in outcomes for rider in _riders_of(o, riders)]
        if self.journal is not None:
            for outcome in outcomes:
                if outcome.error is None:
                    for entry_id in outcome.item.entries:
                        self.journal.deleted_entry(entry_id)
        return outcomes

    def _delete(self, item: Leftover) -> Outcome:
        """Ask for one leftover's deletion (done when it is already gone)."""
        outcome = Outcome(item)
        try:
            for target in self._targets(item):
                try:
                    DELETERS[target.kind](self.api, target, self.policy)
                except ResourceNotFound:  # someone already deleted it
                    continue
                outcome.ids.append(str(target.id))
        except CloudError as exc:
            outcome.error = exc.message
        return outcome

    def _targets(self, item: Leftover) -> list[Leftover]:
        """``item`` itself, or for a row whose create never answered (no id), whatever
        the cloud holds under its name."""
        if item.id is not None:
            return [item]
        if item.kind is K.KEYPAIR or not item.name:
            return []
        listed = self.api(f"look for {item.kind} {item.name}", list_kind, self.conn, item.kind)
        return [
            Leftover(f.kind, f.name, f.id, f.project_id, item.parent_id, created_at=f.created)
            for f in listed
            if f.name == item.name
        ]

    def _await_gone(self, kind: ResourceKind, outcomes: list[Outcome]) -> None:
        """Wait until the band's deleted resources are gone; one still there at the
        timeout (or a failed poll) is an error of its leftover."""
        asked = {i: o for o in outcomes if o.error is None for i in o.ids}
        message = f"{kind} still exists {self.policy.timeout:g} s after its deletion"
        try:
            lingering = wait_for_all_deleted(
                lambda pending: self._present(kind, pending), asked, self.policy
            )
        except CloudError as exc:
            lingering, message = frozenset(asked), exc.message
        for resource_id in lingering:
            asked[resource_id].error = message

    def _present(self, kind: ResourceKind, pending: frozenset[str]) -> frozenset[str]:
        """Which of ``pending`` still exist: one listing, or a read each when few."""
        if len(pending) > LIST_ABOVE:
            listed = self.api(f"list {kind}", list_kind, self.conn, kind)
            return frozenset(f.id for f in listed if f.id in pending and not _deleted(f.status))
        return frozenset(i for i in pending if self._exists(kind, i))

    def _exists(self, kind: ResourceKind, resource_id: str) -> bool:
        try:
            found = self.api(f"get {kind} {resource_id}", GONE[kind](self.conn), resource_id)
        except ResourceNotFound:
            return False
        return found is not None and not _deleted(getattr(found, "status", None))


def _riders_of(outcome: Outcome, riders: dict[str, list[Leftover]]) -> list[Outcome]:
    """What went (or stayed) with the leftover of ``outcome`` (subnets of a network)."""
    carrier = outcome.item
    error = outcome.error and f"not deleted with {carrier.describe()}: {outcome.error}"
    return [Outcome(item, error=error) for item in riders.get(carrier.id or "", [])]


def _deleted(status: object) -> bool:
    """A status that means gone (nova shows ``DELETED`` for a moment)."""
    return str(status or "").upper() == "DELETED"
