"""The resource journal: a row written *before* each create call, completed after.

After ``kill -9`` at any moment, a run's rows say what may exist in the cloud: rows
still ``creating`` have a name but maybe no id (cleanup searches by name), rows
``created`` have the id, rows ``deleted`` need nothing. The durable implementation
lives in the results store (``squall.results.journal.StoreJournal``); ``MemoryJournal``
is for tests and for runs with no store.

``Tracker`` binds a journal to one run and cloud; contexts and scenarios use it::

    entry = tracker.begin(ResourceKind.SERVER, name, project_id=...)
    server = conn.compute.create_server(name=name, ...)
    tracker.created(entry, server.id)
    ...
    conn.compute.delete_server(server)
    tracker.deleted(ResourceKind.SERVER, server.id)
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Protocol


class ResourceKind(StrEnum):
    """What squall creates, named ``service.resource``."""

    SERVER = "nova.server"
    KEYPAIR = "nova.keypair"
    FLAVOR = "nova.flavor"
    SERVER_GROUP = "nova.server_group"
    AGGREGATE_HOST = "nova.aggregate_host"  # a link: see ``link_id``
    AGGREGATE = "nova.aggregate"
    FLOATING_IP = "neutron.floating_ip"
    ROUTER_INTERFACE = "neutron.router_interface"
    ROUTER_GATEWAY = "neutron.router_gateway"
    PORT = "neutron.port"
    ROUTER = "neutron.router"
    SUBNET = "neutron.subnet"
    NETWORK = "neutron.network"
    SECURITY_GROUP = "neutron.security_group"
    TRUNK = "neutron.trunk"
    VOLUME_SNAPSHOT = "cinder.snapshot"
    VOLUME_BACKUP = "cinder.backup"
    VOLUME = "cinder.volume"
    VOLUME_TYPE = "cinder.volume_type"
    QOS_ASSOCIATION = "cinder.qos_association"  # a link: see ``link_id``
    QOS = "cinder.qos"
    IMAGE = "glance.image"
    ROLE = "keystone.role"
    SERVICE = "keystone.service"
    USER = "keystone.user"
    PROJECT = "keystone.project"


def link_id(parent_id: str, child: str) -> str:
    """The resource id of a link between two resources (a host in an aggregate, a QoS
    spec associated with a volume type), journaled with ``parent_id`` as its parent.

    The id names both ends, so that two links to the same child (one host in two
    aggregates) stay two journal rows and two leftovers.
    """
    return f"{parent_id}/{child}"


def link_child(parent_id: str, resource_id: str) -> str:
    """The child end of the link ``link_id(parent_id, child)``."""
    return resource_id.removeprefix(f"{parent_id}/")


class EntryState(StrEnum):
    CREATING = "creating"  # the create call may or may not have reached the cloud
    CREATED = "created"
    DELETED = "deleted"
    FAILED = "failed"  # the create call failed; a resource may still exist (ERROR state)


@dataclass(frozen=True)
class JournalEntry:
    id: int
    run_id: str
    cloud: str
    kind: ResourceKind
    name: str
    state: EntryState
    created_at: float
    resource_id: str | None = None
    project_id: str | None = None
    #: the resource this one hangs on (a router for its interface), when it has one
    parent_id: str | None = None
    #: the workload (one random token per workload) whose sweep deletes it
    scope: str | None = None
    deleted_at: float | None = None


@dataclass(frozen=True)
class NewEntry:
    """What ``Journal.begin`` needs to write a row."""

    run_id: str
    cloud: str
    kind: ResourceKind
    name: str
    project_id: str | None = None
    parent_id: str | None = None
    scope: str | None = None


class Journal(Protocol):
    """Durable record of resources; every method is thread-safe."""

    def begin(self, entry: NewEntry) -> int:
        """Write a ``creating`` row; return its id."""
        ...

    def created(self, entry_id: int, resource_id: str) -> None: ...

    def failed(self, entry_id: int) -> None: ...

    def deleted(self, run_id: str, kind: ResourceKind, resource_id: str) -> None:
        """Mark every row of this run for ``resource_id`` as deleted."""
        ...

    def deleted_entry(self, entry_id: int) -> None: ...

    def entries(self, run_id: str | None = None, *, live_only: bool = True) -> list[JournalEntry]:
        """Rows of ``run_id`` (every run when None); only those not deleted by default."""
        ...


@dataclass
class MemoryJournal:
    """A Journal kept in memory (tests; runs started without a store)."""

    _rows: dict[int, JournalEntry] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def begin(self, entry: NewEntry) -> int:
        with self._lock:
            row_id = next(self._ids)
            self._rows[row_id] = JournalEntry(
                id=row_id,
                run_id=entry.run_id,
                cloud=entry.cloud,
                kind=entry.kind,
                name=entry.name,
                state=EntryState.CREATING,
                created_at=time.time(),
                project_id=entry.project_id,
                parent_id=entry.parent_id,
                scope=entry.scope,
            )
            return row_id

    def _set(self, row_id: int, **changes: object) -> None:
        with self._lock:
            row = self._rows.get(row_id)
            if row is not None:
                self._rows[row_id] = replace(row, **changes)  # type: ignore[arg-type]

    def created(self, entry_id: int, resource_id: str) -> None:
        self._set(entry_id, state=EntryState.CREATED, resource_id=resource_id)

    def failed(self, entry_id: int) -> None:
        self._set(entry_id, state=EntryState.FAILED)

    def deleted_entry(self, entry_id: int) -> None:
        self._set(entry_id, state=EntryState.DELETED, deleted_at=time.time())

    def deleted(self, run_id: str, kind: ResourceKind, resource_id: str) -> None:
        with self._lock:
            ids = [
                r.id
                for r in self._rows.values()
                if r.run_id == run_id and r.kind == kind and r.resource_id == resource_id
            ]
        for row_id in ids:
            self.deleted_entry(row_id)

    def entries(self, run_id: str | None = None, *, live_only: bool = True) -> list[JournalEntry]:
        with self._lock:
            rows = list(self._rows.values())
        return [
            r
            for r in rows
            if (run_id is None or r.run_id == run_id)
            and not (live_only and r.state is EntryState.DELETED)
        ]


@dataclass(frozen=True)
class Tracker:
    """A journal bound to one run and one cloud."""

    journal: Journal
    run_id: str
    cloud: str
    scope: str | None = None

    def begin(
        self,
        kind: ResourceKind,
        name: str,
        *,
        project_id: str | None = None,
        parent_id: str | None = None,
    ) -> int:
        return self.journal.begin(
            NewEntry(self.run_id, self.cloud, kind, name, project_id, parent_id, self.scope)
        )

    def created(self, entry_id: int, resource_id: str) -> None:
        self.journal.created(entry_id, resource_id)

    def failed(self, entry_id: int) -> None:
        self.journal.failed(entry_id)

    def deleted(self, kind: ResourceKind, resource_id: str) -> None:
        self.journal.deleted(self.run_id, kind, resource_id)
