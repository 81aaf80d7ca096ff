"""Deleting what squall left in a cloud: from the journal, the names and the tags.

``plan()`` (pure) merges journal rows and resources discovered by name into one
list of ``Leftover`` in dependency order: servers first, then floating IPs,
router interfaces and gateways, ports, routers, subnets, networks, security
groups, snapshots, volumes, images, server groups, hosts of aggregates,
aggregates, keypairs, flavors, QoS associations, QoS specs, volume types, and
keystone roles, services, users and projects last. ``Cleaner`` deletes one kind
at a time (concurrently within a kind, rate-limited), treats "not found" as done,
waits until servers, volumes and snapshots are really gone, and marks journal
rows as it goes, so an interrupted cleanup resumes where it stopped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from squall.errors import CloudError
from squall.openstack.errors import ResourceNotFound, cloud_errors
from squall.openstack.inventory import Found, list_kind
from squall.openstack.journal import EntryState, Journal, JournalEntry, ResourceKind, link_child
from squall.openstack.waiters import WaitPolicy, resolve, wait_for_delete

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


@dataclass
class Leftover:
    """One resource to delete (``id`` None: journaled, never seen in the cloud)."""

    kind: ResourceKind
    name: str
    id: str | None
    project_id: str | None = None
    parent_id: str | None = None
    user_id: str | None = None
    entries: list[int] = field(default_factory=list)

    def describe(self) -> str:
        return f"{self.kind} {self.name or '-'} ({self.id or 'never created'})"


@dataclass
class CleanupReport:
    planned: list[Leftover]
    dry_run: bool = False
    deleted: list[Leftover] = field(default_factory=list)
    failed: list[tuple[Leftover, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def plan(entries: Iterable[JournalEntry], found: Iterable[Found]) -> list[Leftover]:
    """Journal rows plus discovered resources, merged and in deletion order (pure).

    A row with an id is matched to the cloud by id, a row without one (killed
    between the journal write and the create call's answer) by kind and name.
    """
    by_key: dict[tuple[ResourceKind, str], Leftover] = {}
    for f in found:
        by_key[(f.kind, f.id)] = Leftover(f.kind, f.name, f.id, f.project_id, user_id=f.user_id)
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
                key, Leftover(e.kind, e.name, e.resource_id, e.project_id, e.parent_id)
            )
            item.parent_id = item.parent_id or e.parent_id
            item.entries.append(e.id)
            continue
        named = by_name.get((e.kind, e.name))
        if named:
            for item in named:
                item.entries.append(e.id)
        else:
            orphans.append(Leftover(e.kind, e.name, None, e.project_id, e.parent_id, None, [e.id]))
    items = list(by_key.values()) + orphans
    return sorted(items, key=lambda i: (RANK.get(i.kind, len(RANK)), i.name, i.id or ""))


class RateLimiter:
    """At most ``rate`` calls per second across threads (0 = unlimited)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


Deleter = Callable[[Any, Leftover, WaitPolicy], None]


class Cleaner:
    """Deletes leftovers kind by kind, as the admin of one cloud."""

    def __init__(
        self,
        conn: Any,
        journal: Journal | None = None,
        *,
        rate: float = 20.0,
        workers: int = 8,
        policy: WaitPolicy | None = None,
    ) -> None:
        self.conn = conn
        self.journal = journal
        self.limiter = RateLimiter(rate)
        self.workers = max(1, workers)
        self.policy = policy or resolve("cleanup_delete")

    def run(self, leftovers: list[Leftover], *, dry_run: bool = False) -> CleanupReport:
        report = CleanupReport(planned=list(leftovers), dry_run=dry_run)
        if dry_run:
            return report
        for kind in [*ORDER, *sorted({i.kind for i in leftovers} - set(ORDER))]:
            band = [i for i in leftovers if i.kind is kind]
            if band:
                self._band(band, report)
        return report

    def _band(self, band: list[Leftover], report: CleanupReport) -> None:
        with ThreadPoolExecutor(min(self.workers, len(band)), "squall-cleanup") as pool:
            results = list(pool.map(self._one, band))
        for item, error in zip(band, results, strict=True):
            if error is None:
                report.deleted.append(item)
            else:
                report.failed.append((item, error))

    def _one(self, item: Leftover) -> str | None:
        """Delete one leftover; return None on success, the error text otherwise."""
        try:
            for target in self._targets(item):
                self._delete(target)
        except CloudError as exc:
            return exc.message
        if self.journal is not None:
            for entry_id in item.entries:
                self.journal.deleted_entry(entry_id)
        return None

    def _delete(self, target: Leftover) -> None:
        """Delete one resource; "not found" means someone already did."""
        self.limiter.wait()
        try:
            with cloud_errors(f"delete {target.kind} {target.id}"):
                DELETERS[target.kind](self.conn, target, self.policy)
        except ResourceNotFound:
            return

    def _targets(self, item: Leftover) -> list[Leftover]:
        """``item`` itself, or for a row whose create never answered (no id), whatever
        the cloud holds under its name."""
        if item.id is not None:
            return [item]
        if item.kind is K.KEYPAIR or not item.name:
            return []
        with cloud_errors(f"look for {item.kind} {item.name}"):
            found = [f for f in list_kind(self.conn, item.kind) if f.name == item.name]
        return [Leftover(f.kind, f.name, f.id, f.project_id, item.parent_id) for f in found]


# -- one deleter per kind ------------------------------------------------------------------


def _gone(fetch: Callable[[], Any], policy: WaitPolicy, what: str) -> None:
    def get() -> Any:
        with cloud_errors(f"get {what}"):
            return fetch()

    wait_for_delete(get, policy, what=what)


def _server(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    conn.compute.delete_server(item.id, ignore_missing=True)
    _gone(lambda: conn.compute.get_server(item.id), policy, f"server {item.id}")


def _router(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    net = conn.network
    router = net.get_router(item.id)
    if router.external_gateway_info:
        net.update_router(router, external_gateway_info={})
    for port in net.ports(device_id=item.id, device_owner="network:router_interface"):
        net.remove_interface_from_router(router, port_id=port.id)
    net.delete_router(item.id, ignore_missing=True)


def _router_interface(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    if item.parent_id:
        conn.network.remove_interface_from_router(item.parent_id, subnet_id=item.id)


def _router_gateway(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    conn.network.update_router(item.id, external_gateway_info={})


def _volume(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    storage = conn.block_storage
    volume = storage.get_volume(item.id)
    if volume.status in ("creating", "attaching", "detaching", "downloading"):
        _wait_settled(lambda: storage.get_volume(item.id), policy)
    storage.delete_volume(item.id, ignore_missing=True, force=volume.status == "error_deleting")
    _gone(lambda: storage.get_volume(item.id), policy, f"volume {item.id}")


def _wait_settled(fetch: Callable[[], Any], policy: WaitPolicy) -> None:
    deadline = time.monotonic() + policy.timeout
    while fetch().status in ("creating", "attaching", "detaching", "downloading"):
        if time.monotonic() > deadline:
            return
        time.sleep(policy.interval)


def _snapshot(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    conn.block_storage.delete_snapshot(item.id, ignore_missing=True)
    _gone(lambda: conn.block_storage.get_snapshot(item.id), policy, f"snapshot {item.id}")


def _aggregate_host(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    if item.parent_id and item.id:
        host = link_child(item.parent_id, item.id)
        conn.compute.remove_host_from_aggregate(item.parent_id, host)


def _aggregate(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    """Nova refuses to delete an aggregate that still has hosts: remove them first."""
    compute = conn.compute
    aggregate = compute.get_aggregate(item.id)
    for host in aggregate.hosts or []:
        try:
            with cloud_errors(f"remove host {host} from aggregate {item.id}"):
                compute.remove_host_from_aggregate(aggregate, host)
        except ResourceNotFound:  # removed meanwhile
            continue
    compute.delete_aggregate(item.id, ignore_missing=True)


def _qos_association(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    if item.parent_id and item.id:
        type_id = link_child(item.parent_id, item.id)
        conn.block_storage.disassociate_qos_spec(item.parent_id, type_id)


def _qos(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    """Cinder refuses to delete a QoS spec in use: disassociate it from every type first."""
    storage = conn.block_storage
    storage.disassociate_all_qos_spec(item.id)
    storage.delete_qos_spec(item.id, ignore_missing=True)


def _keypair(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    owner = item.user_id or item.parent_id
    conn.compute.delete_keypair(item.id, ignore_missing=True, user_id=owner)


def _project(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
    """Neutron makes a ``default`` security group in every project that used it, and
    keeps it after the project is gone: delete the project's groups first."""
    try:
        groups = list(conn.network.security_groups(project_id=item.id))
    except Exception:  # no network service: nothing of neutron's to remove
        groups = []
    for group in groups:
        conn.network.delete_security_group(group.id, ignore_missing=True)
    conn.identity.delete_project(item.id, ignore_missing=True)


def _simple(method: Callable[[Any], Callable[..., Any]]) -> Deleter:
    def delete(conn: Any, item: Leftover, policy: WaitPolicy) -> None:
        method(conn)(item.id, ignore_missing=True)

    return delete


DELETERS: dict[ResourceKind, Deleter] = {
    K.SERVER: _server,
    K.FLOATING_IP: _simple(lambda c: c.network.delete_ip),
    K.TRUNK: _simple(lambda c: c.network.delete_trunk),
    K.ROUTER_INTERFACE: _router_interface,
    K.ROUTER_GATEWAY: _router_gateway,
    K.PORT: _simple(lambda c: c.network.delete_port),
    K.ROUTER: _router,
    K.SUBNET: _simple(lambda c: c.network.delete_subnet),
    K.NETWORK: _simple(lambda c: c.network.delete_network),
    K.SECURITY_GROUP: _simple(lambda c: c.network.delete_security_group),
    K.VOLUME_BACKUP: _simple(lambda c: c.block_storage.delete_backup),
    K.VOLUME_SNAPSHOT: _snapshot,
    K.VOLUME: _volume,
    K.IMAGE: _simple(lambda c: c.image.delete_image),
    K.SERVER_GROUP: _simple(lambda c: c.compute.delete_server_group),
    K.AGGREGATE_HOST: _aggregate_host,
    K.AGGREGATE: _aggregate,
    K.KEYPAIR: _keypair,
    K.FLAVOR: _simple(lambda c: c.compute.delete_flavor),
    K.QOS_ASSOCIATION: _qos_association,
    K.QOS: _qos,
    K.VOLUME_TYPE: _simple(lambda c: c.block_storage.delete_type),
    K.ROLE: _simple(lambda c: c.identity.delete_role),
    K.SERVICE: _simple(lambda c: c.identity.delete_service),
    K.USER: _simple(lambda c: c.identity.delete_user),
    K.PROJECT: _project,
}
