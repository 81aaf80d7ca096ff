"""Listing what exists in a cloud, as the admin, by resource kind.

``discover()`` finds squall's leftovers by name (``squall-<run8>-`` for one run,
``squall-`` for all) and by the ``squall-run`` tag; ``snapshot()`` takes the whole
inventory (ids per kind), which tests compare before and after a run.
Floating IPs have no name: squall writes the name into their description.
Trunks are listed only where neutron has the ``trunk`` extension, volume backups
only where cinder has a backup service (a cloud without either has none).

Credentials that may not list every project's resources (a 403 for
``all_projects``) get their own project's servers, volumes, snapshots, backups and
server groups instead; the kinds they may not list at all (keystone's, flavors'
extras, aggregates, QoS specs) are reported as not searched, never silently
skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from squall.errors import CloudError
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind

FORBIDDEN = 403


@dataclass(frozen=True)
class Found:
    """One resource seen in the cloud."""

    kind: ResourceKind
    id: str
    name: str
    project_id: str | None = None
    #: the owning user, for keypairs (their id is their name)
    user_id: str | None = None
    created_at: str | None = None
    #: the API's status, for kinds that have one (cleanup waits for "gone")
    status: str | None = None
    #: the resource this one lives in: a subnet's network
    parent_id: str | None = None

    @property
    def created(self) -> float | None:
        """``created_at`` in seconds since the epoch (None: unknown or unreadable)."""
        return epoch(self.created_at)


def epoch(stamp: str | None) -> float | None:
    """An API's ISO 8601 time (UTC when it names no zone) in seconds since the epoch."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def _named(
    kind: ResourceKind,
    items: Iterable[Any],
    name_attr: str = "name",
    project: str = "project_id",
    parent: str | None = None,
) -> Iterator[Found]:
    for item in items:
        yield Found(
            kind=kind,
            id=str(item.id),
            name=str(getattr(item, name_attr, None) or ""),
            project_id=getattr(item, project, None),
            created_at=getattr(item, "created_at", None),
            status=getattr(item, "status", None),
            parent_id=getattr(item, parent, None) if parent else None,
        )


def _listers(conn: Any) -> dict[ResourceKind, Callable[[], Iterator[Found]]]:
    compute, net, volume, image, ident = (
        conn.compute,
        conn.network,
        conn.block_storage,
        conn.image,
        conn.identity,
    )
    k = ResourceKind
    return {
        k.SERVER: lambda: _named(k.SERVER, compute.servers(all_projects=True)),
        k.FLOATING_IP: lambda: _named(k.FLOATING_IP, net.ips(), name_attr="description"),
        k.PORT: lambda: _named(k.PORT, net.ports()),
        k.TRUNK: lambda: _trunks(net),
        k.ROUTER: lambda: _named(k.ROUTER, net.routers()),
        k.SUBNET: lambda: _named(k.SUBNET, net.subnets(), parent="network_id"),
        k.NETWORK: lambda: _named(k.NETWORK, net.networks()),
        k.SECURITY_GROUP: lambda: _named(k.SECURITY_GROUP, net.security_groups()),
        k.VOLUME_BACKUP: lambda: _backups(volume),
        k.VOLUME_SNAPSHOT: lambda: _named(k.VOLUME_SNAPSHOT, volume.snapshots(all_projects=True)),
        k.VOLUME: lambda: _named(k.VOLUME, volume.volumes(all_projects=True)),
        k.IMAGE: lambda: _named(k.IMAGE, image.images(), project="owner"),
        k.SERVER_GROUP: lambda: _named(k.SERVER_GROUP, compute.server_groups(all_projects=True)),
        k.AGGREGATE: lambda: _named(k.AGGREGATE, compute.aggregates()),
        k.FLAVOR: lambda: _named(k.FLAVOR, compute.flavors(details=False, is_public=None)),
        k.VOLUME_TYPE: lambda: _named(k.VOLUME_TYPE, volume.types()),
        k.QOS: lambda: _named(k.QOS, volume.qos_specs()),
        k.ROLE: lambda: _named(k.ROLE, ident.roles()),
        k.SERVICE: lambda: _named(k.SERVICE, ident.services()),
        k.USER: lambda: _named(k.USER, ident.users(), project="default_project_id"),
        k.PROJECT: lambda: _named(k.PROJECT, ident.projects(), project="id"),
    }


def _own_listers(conn: Any) -> dict[ResourceKind, Callable[[], Iterator[Found]]]:
    """The listings of the user's own project, for the kinds whose admin listing spans
    every project (``all_projects``); neutron's and glance's need no variant."""
    compute, volume = conn.compute, conn.block_storage
    k = ResourceKind
    return {
        k.SERVER: lambda: _named(k.SERVER, compute.servers()),
        k.VOLUME_BACKUP: lambda: _named(k.VOLUME_BACKUP, volume.backups(details=True)),
        k.VOLUME_SNAPSHOT: lambda: _named(k.VOLUME_SNAPSHOT, volume.snapshots()),
        k.VOLUME: lambda: _named(k.VOLUME, volume.volumes()),
        k.SERVER_GROUP: lambda: _named(k.SERVER_GROUP, compute.server_groups()),
    }


def _trunks(net: Any) -> Iterator[Found]:
    """Trunks; none where neutron lacks the extension (it would answer 404)."""
    if net.find_extension("trunk", ignore_missing=True) is None:
        return iter(())
    return _named(ResourceKind.TRUNK, net.trunks())


def _backups(volume: Any) -> Iterator[Found]:
    """Volume backups (with details: the status and creation time cleanup needs)."""
    return _named(ResourceKind.VOLUME_BACKUP, volume.backups(details=True, all_projects=True))


def keypairs_of(conn: Any, user_ids: Iterable[str]) -> list[Found]:
    """Keypairs of the given users (nova lists keypairs per user)."""
    found: list[Found] = []
    for user_id in user_ids:
        with cloud_errors("nova.list_keypairs"):
            for kp in conn.compute.keypairs(user_id=user_id):
                found.append(Found(ResourceKind.KEYPAIR, str(kp.name), str(kp.name), None, user_id))
    return found


def listable(conn: Any, kinds: Iterable[ResourceKind] | None = None) -> list[ResourceKind]:
    """The kinds this cloud can list (services missing from the catalog are skipped)."""
    wanted = list(kinds) if kinds is not None else list(_listers(conn))
    services = {
        "nova": "compute",
        "neutron": "network",
        "cinder": "block-storage",
        "glance": "image",
        "keystone": "identity",
    }
    present: list[ResourceKind] = []
    for kind in wanted:
        service = services[kind.value.partition(".")[0]]
        with cloud_errors("read the service catalog"):
            if conn.endpoint_for(service):
                present.append(kind)
    return present


def list_kind(conn: Any, kind: ResourceKind) -> list[Found]:
    """Every resource of ``kind`` these credentials can see: every project's for an
    admin, else the user's own project's (where the admin listing answers 403).

    Raises ``CloudError`` (status 403) when they may not list ``kind`` at all."""
    lister = _listers(conn).get(kind)
    if lister is None:
        return []
    try:
        with cloud_errors(f"list {kind}"):
            return list(lister())
    except CloudError as exc:
        own = _own_listers(conn).get(kind)
        if exc.status != FORBIDDEN or own is None:
            raise
    with cloud_errors(f"list {kind} of the project"):
        return list(own())


@dataclass(frozen=True)
class Discovery:
    """What ``discover()`` found, and the kinds it could not look at."""

    found: list[Found]
    #: kinds these credentials may not list (HTTP 403): not searched by name
    unlisted: list[ResourceKind]


def discover(
    conn: Any,
    matches: Callable[[str], bool],
    kinds: Iterable[ResourceKind] | None = None,
    *,
    pace: Callable[[], None] | None = None,
    workers: int = 4,
) -> Discovery:
    """Resources whose name satisfies ``matches`` (plus the keypairs of matching users).

    The kinds are listed ``workers`` at a time (they are independent); ``pace`` is
    called before each listing (a rate limiter's ``wait``). A kind the credentials
    may not list goes to ``unlisted``.
    """

    def listing(kind: ResourceKind) -> list[Found] | None:
        if pace is not None:
            pace()
        try:
            return [f for f in list_kind(conn, kind) if matches(f.name)]
        except CloudError as exc:
            if exc.status != FORBIDDEN:
                raise
            return None

    present = listable(conn, kinds)
    with ThreadPoolExecutor(max(1, min(workers, len(present) or 1)), "squall-discover") as pool:
        parts = list(pool.map(listing, present))
    found = [f for part in parts if part is not None for f in part]
    unlisted = [kind for kind, part in zip(present, parts, strict=True) if part is None]
    users = [f.id for f in found if f.kind is ResourceKind.USER]
    if users and (kinds is None or ResourceKind.KEYPAIR in kinds):
        found += [f for f in keypairs_of(conn, users) if matches(f.name)]
    return Discovery(found, unlisted)


def snapshot(conn: Any) -> dict[ResourceKind, frozenset[str]]:
    """Ids of every resource per kind: compare two snapshots to see what a run left."""
    return {kind: frozenset(f.id for f in list_kind(conn, kind)) for kind in listable(conn)}
