"""``FakeCloud``: an in-memory stand-in for the openstacksdk surface cleanup uses.

Neutron networks, subnets, routers (interfaces, gateway), ports, trunks and
security groups, and cinder volumes and backups, with the rules of the real
services that cleanup's order depends on: a router with interfaces refuses
deletion (409), a subnet with a router interface refuses deletion (409), a network
deletes its subnets with it, a port that is a trunk's parent or subport refuses
deletion (409), a disabled trunk refuses deletion (409), a backup with incremental
backups or not ``available`` refuses deletion (400), deleted volumes and backups
linger in ``deleting`` for a few reads. With ``member=True`` the credentials are a
project member's: cinder answers 403 to ``all_projects`` listings and to QoS specs,
as cinder's default policy does. Every call is
appended to ``calls`` (``"DELETE router r1"``), so a test can check what was
asked, in which order, and how often::

    cloud = FakeCloud()
    net = cloud.network.create_network(name="squall-0ba66765-n")
    report = Cleaner(cloud).run(plan([], discover(cloud, lambda n: True).found))
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from squall.openstack.errors import sdk_http_error

#: the creation time of the first backup; each next one is a second later
EPOCH = datetime(2026, 1, 1)


@dataclass
class Thing:
    """One resource: the attributes squall reads, whatever its kind."""

    id: str
    name: str = ""
    status: str = "ACTIVE"
    project_id: str | None = None
    network_id: str | None = None
    device_id: str | None = None
    device_owner: str | None = None
    subnet_id: str | None = None
    #: a trunk's parent port, and its subports' ports
    port_id: str | None = None
    sub_ports: list[str] = field(default_factory=list)
    is_admin_state_up: bool = True
    #: a backup's volume, and the backup an incremental one builds on
    volume_id: str | None = None
    parent_id: str | None = None
    is_incremental: bool = False
    has_dependent_backups: bool = False
    external_gateway_info: dict[str, Any] | None = None
    #: a network's: routers may have their gateway on it; its subnets
    is_router_external: bool = False
    subnet_ids: list[str] = field(default_factory=list)
    #: reads left before a deleted volume is gone
    linger: int = 0
    #: reads left before a volume in a transitional status is ``available``
    settle: int = 0
    created_at: str | None = None


@dataclass
class _Store:
    things: dict[str, dict[str, Thing]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: Iterator[int] = field(default_factory=itertools.count)
    #: the credentials are a project member's, not an admin's
    member: bool = False

    def log(self, call: str) -> None:
        with self.lock:
            self.calls.append(call)

    def admin_only(self, call: str, needed: bool = True) -> None:
        """Log ``call``; a member gets the 403 of a call that ``needed`` an admin."""
        self.log(call)
        if needed and self.member:
            raise sdk_http_error(403, f"Policy doesn't allow {call} to be performed.")

    def of(self, kind: str) -> dict[str, Thing]:
        return self.things.setdefault(kind, {})

    def add(self, kind: str, **attrs: Any) -> Thing:
        with self.lock:
            thing = Thing(id=f"{kind}-{next(self.ids)}", **attrs)
            self.of(kind)[thing.id] = thing
        return thing

    def get(self, kind: str, thing_id: str) -> Thing:
        found = self.of(kind).get(thing_id)
        if found is None:
            raise sdk_http_error(404, f"{kind} {thing_id} could not be found")
        return found

    def find(self, kind: str, thing_id: str, ignore_missing: bool) -> Thing | None:
        """The thing, or None when it is missing and that is ignored (else 404)."""
        found = self.of(kind).get(thing_id)
        if found is None and not ignore_missing:
            raise sdk_http_error(404, f"{kind} {thing_id} could not be found")
        return found

    def remove(self, kind: str, thing_id: str, ignore_missing: bool) -> Thing | None:
        with self.lock:
            found = self.of(kind).pop(thing_id, None)
        if found is None and not ignore_missing:
            raise sdk_http_error(404, f"{kind} {thing_id} could not be found")
        return found


def _id(value: Any) -> str:
    return str(getattr(value, "id", value))


class FakeNetwork:
    """Neutron: networks, subnets, routers, ports, security groups."""

    def __init__(self, store: _Store, extensions: tuple[str, ...]) -> None:
        self._s = store
        self.extensions = extensions

    def create_network(self, name: str = "", is_router_external: bool = False) -> Thing:
        return self._s.add("network", name=name, is_router_external=is_router_external)

    def create_subnet(self, name: str = "", network_id: str = "", **_: Any) -> Thing:
        subnet = self._s.add("subnet", name=name, network_id=network_id)
        network = self._s.of("network").get(network_id)
        if network is not None:
            network.subnet_ids.append(subnet.id)
        return subnet

    def create_router(self, name: str = "", external_gateway_info: Any = None) -> Thing:
        return self._s.add("router", name=name, external_gateway_info=external_gateway_info)

    def create_security_group(self, name: str = "") -> Thing:
        return self._s.add("security_group", name=name)

    def create_port(self, name: str = "", network_id: str = "") -> Thing:
        return self._s.add("port", name=name, network_id=network_id)

    def create_trunk(
        self, name: str = "", port_id: str = "", sub_ports: list[dict[str, Any]] | None = None
    ) -> Thing:
        subs = [str(sub["port_id"]) for sub in sub_ports or []]
        return self._s.add("trunk", name=name, port_id=port_id, sub_ports=subs)

    def find_extension(self, name: str, ignore_missing: bool = True) -> Thing | None:
        self._s.log(f"GET extension {name}")
        return Thing(id=name, name=name) if name in self.extensions else None

    def add_interface_to_router(self, router: Any, subnet_id: str) -> Thing:
        subnet = self._s.get("subnet", subnet_id)
        return self._s.add(
            "port",
            network_id=subnet.network_id,
            device_id=_id(router),
            device_owner="network:router_interface",
            subnet_id=subnet_id,
        )

    def _listing(self, kind: str, **match: Any) -> Iterator[Thing]:
        self._s.log(f"GET {kind}s")
        things = list(self._s.of(kind).values())
        return iter([t for t in things if all(getattr(t, k) == v for k, v in match.items())])

    def networks(self, **match: Any) -> Iterator[Thing]:
        return self._listing("network", **match)

    def subnets(self) -> Iterator[Thing]:
        return self._listing("subnet")

    def routers(self) -> Iterator[Thing]:
        return self._listing("router")

    def security_groups(self, **match: Any) -> Iterator[Thing]:
        return self._listing("security_group", **match)

    def ports(self, **match: Any) -> Iterator[Thing]:
        return self._listing("port", **match)

    def ips(self) -> Iterator[Thing]:
        return self._listing("floating_ip")

    def trunks(self) -> Iterator[Thing]:
        return self._listing("trunk")

    def get_trunk(self, trunk: Any) -> Thing:
        self._s.log(f"GET trunk {_id(trunk)}")
        return self._s.get("trunk", _id(trunk))

    def update_trunk(self, trunk: Any, admin_state_up: bool = True) -> Thing:
        self._s.log(f"PUT trunk {_id(trunk)}")
        found = self._s.get("trunk", _id(trunk))
        found.is_admin_state_up = admin_state_up
        return found

    def delete_trunk(self, trunk: Any, ignore_missing: bool = True) -> None:
        """Its subports leave it with it; 409 while it is disabled."""
        self._s.log(f"DELETE trunk {_id(trunk)}")
        found = self._s.of("trunk").get(_id(trunk))
        if found is not None and not found.is_admin_state_up:
            raise sdk_http_error(409, f"Trunk {found.id} is currently disabled")
        self._s.remove("trunk", _id(trunk), ignore_missing)

    def delete_port(self, port: Any, ignore_missing: bool = True) -> None:
        """409 while the port is a trunk's parent or one of its subports."""
        self._s.log(f"DELETE port {_id(port)}")
        for trunk in self._s.of("trunk").values():
            if _id(port) == trunk.port_id or _id(port) in trunk.sub_ports:
                raise sdk_http_error(409, f"Port {_id(port)} is in use by trunk {trunk.id}")
        self._s.remove("port", _id(port), ignore_missing)

    def get_router(self, router: Any) -> Thing:
        self._s.log(f"GET router {_id(router)}")
        return self._s.get("router", _id(router))

    def update_router(self, router: Any, external_gateway_info: Any = None) -> Thing:
        self._s.log(f"PUT router {_id(router)}")
        found = self._s.get("router", _id(router))
        found.external_gateway_info = external_gateway_info or None
        return found

    def remove_interface_from_router(
        self, router: Any, subnet_id: str | None = None, port_id: str | None = None
    ) -> None:
        self._s.log(f"PUT router {_id(router)} remove_router_interface")
        for port in list(self._s.of("port").values()):
            mine = port.device_id == _id(router)
            if mine and port_id in (None, port.id) and subnet_id in (None, port.subnet_id):
                self._s.remove("port", port.id, ignore_missing=True)

    def _interfaces(self, **match: Any) -> list[Thing]:
        ports = self._s.of("port").values()
        return [
            p
            for p in ports
            if p.device_owner == "network:router_interface"
            and all(getattr(p, k) == v for k, v in match.items())
        ]

    def delete_router(self, router: Any, ignore_missing: bool = True) -> None:
        self._s.log(f"DELETE router {_id(router)}")
        if self._interfaces(device_id=_id(router)):
            raise sdk_http_error(409, f"Router {_id(router)} has ports still attached")
        self._s.remove("router", _id(router), ignore_missing)

    def delete_subnet(self, subnet: Any, ignore_missing: bool = True) -> None:
        self._s.log(f"DELETE subnet {_id(subnet)}")
        if self._interfaces(subnet_id=_id(subnet)):
            raise sdk_http_error(409, f"Subnet {_id(subnet)} is in use by a router")
        self._s.remove("subnet", _id(subnet), ignore_missing)

    def delete_network(self, network: Any, ignore_missing: bool = True) -> None:
        """Deletes its subnets with it; 409 while it has ports (router interfaces...)."""
        self._s.log(f"DELETE network {_id(network)}")
        if any(p.network_id == _id(network) for p in list(self._s.of("port").values())):
            raise sdk_http_error(409, f"Network {_id(network)} has ports in use")
        for subnet in list(self._s.of("subnet").values()):
            if subnet.network_id == _id(network):
                self._s.remove("subnet", subnet.id, ignore_missing=True)
        self._s.remove("network", _id(network), ignore_missing)

    def delete_security_group(self, group: Any, ignore_missing: bool = True) -> None:
        self._s.log(f"DELETE security_group {_id(group)}")
        self._s.remove("security_group", _id(group), ignore_missing)


class FakeBlockStorage:
    """Cinder: volumes, deleted asynchronously (``deleting`` for ``linger`` reads)."""

    def __init__(self, store: _Store, linger: int) -> None:
        self._s = store
        self.linger = linger
        self._made = itertools.count()

    def create_volume(
        self, name: str = "", size: int = 1, status: str = "available", settle: int = 0
    ) -> Thing:
        """A volume; one made ``creating`` turns ``available`` after ``settle`` reads."""
        return self._s.add("volume", name=name, status=status, settle=settle)

    def _seen(self, volume: Thing) -> bool:
        """Whether a read still shows ``volume`` (one read less for a deleted one)."""
        if volume.status != "deleting":
            if volume.settle > 0:
                volume.settle -= 1
            elif volume.status == "creating":
                volume.status = "available"
            return True
        if volume.linger <= 0:
            self._s.remove("volume", volume.id, ignore_missing=True)
            return False
        volume.linger -= 1
        return True

    def volumes(self, all_projects: bool = False) -> Iterator[Thing]:
        self._s.admin_only("GET volumes", all_projects)
        return iter([v for v in list(self._s.of("volume").values()) if self._seen(v)])

    def snapshots(self, all_projects: bool = False) -> Iterator[Thing]:
        self._s.admin_only("GET snapshots", all_projects)
        return iter(list(self._s.of("snapshot").values()))

    def types(self) -> Iterator[Thing]:
        self._s.log("GET types")
        return iter(list(self._s.of("volume_type").values()))

    def qos_specs(self) -> Iterator[Thing]:
        self._s.admin_only("GET qos_specs")
        return iter(list(self._s.of("qos").values()))

    def create_backup(
        self,
        name: str = "",
        volume_id: str = "",
        incremental: bool = False,
        status: str = "available",
        settle: int = 0,
    ) -> Thing:
        """A backup; an incremental one builds on the volume's newest backup (cinder's
        rule), which then has a dependent backup. One made ``creating`` turns
        ``available`` after ``settle`` reads of backups."""
        with self._s.lock:
            older = [b for b in self._s.of("backup").values() if b.volume_id == volume_id]
        parent = older[-1] if incremental and older else None
        backup = self._s.add(
            "backup",
            name=name,
            status=status,
            settle=settle,
            volume_id=volume_id,
            parent_id=parent.id if parent else None,
            is_incremental=parent is not None,
            created_at=(EPOCH + timedelta(seconds=next(self._made))).isoformat(),
        )
        if parent is not None:
            parent.has_dependent_backups = True
        return backup

    def _tick(self) -> None:
        """One read of backups: time passes for every backup (settling, deleting)."""
        backups = self._s.of("backup")
        for backup in list(backups.values()):
            if backup.status == "creating":
                backup.settle -= 1
                if backup.settle < 0:
                    backup.status = "available"
            elif backup.status == "deleting":
                backup.linger -= 1
                if backup.linger < 0:
                    self._s.remove("backup", backup.id, ignore_missing=True)
        for backup in backups.values():
            backup.has_dependent_backups = any(b.parent_id == backup.id for b in backups.values())

    def backups(self, details: bool = True, all_projects: bool = False) -> Iterator[Thing]:
        self._s.admin_only("GET backups", all_projects)
        self._tick()
        return iter(list(self._s.of("backup").values()))

    def get_backup(self, backup: Any) -> Thing:
        self._s.log(f"GET backup {_id(backup)}")
        self._tick()
        return self._s.get("backup", _id(backup))

    def delete_backup(self, backup: Any, ignore_missing: bool = True, force: bool = False) -> None:
        """400 unless ``available`` or ``error`` (or forced), or while it has dependents."""
        self._s.log(f"DELETE backup {_id(backup)}")
        found = self._s.find("backup", _id(backup), ignore_missing)
        if found is None:
            return
        if found.status not in ("available", "error") and not force:
            raise sdk_http_error(400, "Invalid backup: Backup status must be available or error")
        if found.has_dependent_backups:
            raise sdk_http_error(400, "Invalid backup: Incremental backups exist for this backup.")
        found.status, found.linger = "deleting", self.linger

    def get_volume(self, volume: Any) -> Thing:
        self._s.log(f"GET volume {_id(volume)}")
        found = self._s.get("volume", _id(volume))
        if not self._seen(found):
            raise sdk_http_error(404, f"volume {_id(volume)} could not be found")
        return found

    def delete_volume(self, volume: Any, ignore_missing: bool = True, force: bool = False) -> None:
        self._s.log(f"DELETE volume {_id(volume)}")
        found = self._s.find("volume", _id(volume), ignore_missing)
        if found is None:
            return
        if found.status not in ("available", "error", "deleting") and not force:
            message = f"Invalid volume: status must be available, not {found.status}"
            raise sdk_http_error(400, message)
        if found.status != "deleting":
            found.status, found.linger = "deleting", self.linger


class FakeCloud:
    """The connection: ``network``, ``block_storage``, and the log of every call.

    Nova, glance and keystone are not in this cloud (``endpoint_for`` says so).
    """

    compute: Any = None
    image: Any = None
    identity: Any = None

    def __init__(
        self,
        *,
        volume_linger: int = 2,
        extensions: tuple[str, ...] = ("trunk",),
        member: bool = False,
    ) -> None:
        """Deleted volumes and backups linger ``volume_linger`` reads; neutron has the
        ``extensions`` given (trunks are listed only with ``trunk``); ``member``: the
        credentials are a project member's."""
        self._store = _Store(member=member)
        self.network = FakeNetwork(self._store, extensions)
        self.block_storage = FakeBlockStorage(self._store, volume_linger)

    @property
    def calls(self) -> list[str]:
        return list(self._store.calls)

    def things(self, kind: str) -> list[Thing]:
        """What exists of ``kind`` (``"network"``, ``"volume"``...), without a call."""
        return list(self._store.of(kind).values())

    def endpoint_for(self, service: str) -> str | None:
        """Only neutron and cinder are in this cloud's catalog."""
        return f"fake://{service}" if service in ("network", "block-storage") else None
