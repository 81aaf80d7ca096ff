"""Nova helpers shared by every scenario that boots, lists or deletes servers.

``NovaScenario`` adds Rally's timed server operations to ``OpenStackScenario``;
``BootArgs`` is the argument model of scenarios that boot (Rally's ``image``,
``flavor``, ``auto_assign_nic`` and the boot keyword arguments it passes on).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from squall.openstack.journal import ResourceKind
from squall.openstack.lookup import ResourceSpec, find_flavor, find_image
from squall.openstack.naming import run_tag
from squall.scenarios.openstack.base import OpenStackArgs, OpenStackScenario


class BootArgs(OpenStackArgs):
    """What Rally's boot scenarios take: the image, the flavor and boot options."""

    image: ResourceSpec
    flavor: ResourceSpec
    auto_assign_nic: bool = False
    nics: list[dict[str, str]] | None = Field(
        None, description='Rally\'s [{"net-id": ID}] (also "port-id", "v4-fixed-ip")'
    )
    key_name: str | None = None
    security_groups: list[str] | None = None
    availability_zone: str | None = None
    scheduler_hints: dict[str, Any] | None = None
    block_device_mapping_v2: list[dict[str, Any]] | None = None
    config_drive: bool | None = None
    userdata: str | None = None
    metadata: dict[str, str] | None = None


@dataclass
class Resolved:
    """Image and flavor ids a workload resolved once (kept in its context)."""

    ids: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _nics(nics: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rally/novaclient nics -> the API's ``networks`` entries."""
    keys = {"net-id": "uuid", "port-id": "port", "v4-fixed-ip": "fixed_ip", "tag": "tag"}
    return [{keys.get(k, k): v for k, v in nic.items()} for nic in nics]


class NovaScenario(OpenStackScenario):
    """Server operations timed under Rally's atomic action names."""

    services: ClassVar[tuple[str, ...]] = ("compute",)
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot", "nova_server_delete")
    #: servers one iteration boots, and whether they stay until the workload's cleanup
    #: (preflight compares the resulting peak with the nova quotas)
    servers_per_iteration: ClassVar[int] = 1
    keeps_servers: ClassVar[bool] = False
    #: False when the servers boot on ports the scenario made (and counts) itself, so
    #: nova makes none for them
    ports_by_nova: ClassVar[bool] = True

    @classmethod
    def servers_in(cls, config: BaseModel) -> int:
        """The servers one iteration with ``config`` boots (``servers_per_iteration``
        unless its arguments say how many)."""
        return cls.servers_per_iteration

    # -- image and flavor, resolved once per workload and outside timing ------------

    def _resolve(self, kind: str, spec: ResourceSpec) -> str:
        cache = self.context.get(Resolved)
        if cache is None:
            cache = Resolved()
            self.context.put(cache)
        key = f"{kind}:{spec.model_dump_json()}"
        with cache.lock:
            found = cache.ids.get(key)
        if found is None:
            finder = find_image if kind == "image" else find_flavor
            found = finder(self.clients, spec)
            with cache.lock:
                cache.ids[key] = found
        return found

    def image_id(self, spec: ResourceSpec) -> str:
        return self._resolve("image", spec)

    def flavor_id(self, spec: ResourceSpec) -> str:
        return self._resolve("flavor", spec)

    # -- boot ---------------------------------------------------------------------------

    def _networks(self, args: BootArgs) -> Any:
        if args.nics:
            return _nics(args.nics)
        if self.tenant.networks:
            return [{"uuid": random.choice(self.tenant.networks).id}]
        return "none" if not args.auto_assign_nic else "auto"

    def boot_attrs(self, args: BootArgs) -> dict[str, Any]:
        """The create_server attributes for ``args`` (image and flavor resolved)."""
        attrs: dict[str, Any] = {
            "image_id": self.image_id(args.image),
            "flavor_id": self.flavor_id(args.flavor),
            "networks": self._networks(args),
            "tags": [run_tag(self.context.run_id)],
        }
        groups = list(args.security_groups or [])
        if self.tenant.security_group and self.tenant.security_group not in groups:
            groups.append(self.tenant.security_group)
        if groups:
            attrs["security_groups"] = [{"name": g} for g in groups]
        key_name = args.key_name or self.user.keypair
        if key_name:
            attrs["key_name"] = key_name
        optional = {
            "availability_zone": args.availability_zone,
            "scheduler_hints": args.scheduler_hints,
            "block_device_mapping": args.block_device_mapping_v2,
            "config_drive": args.config_drive,
            "user_data": args.userdata,
            "metadata": args.metadata,
        }
        attrs.update({k: v for k, v in optional.items() if v is not None})
        return attrs

    def _boot_server(self, args: BootArgs, atomic: str = "nova.boot_server") -> Any:
        """Boot one server and wait until ACTIVE, timed as ``nova.boot_server``."""
        attrs = self.boot_attrs(args)  # lookups happen before the clock starts
        compute = self.clients.compute
        name = self.generate_name()
        entry = self.track(ResourceKind.SERVER, name)
        server = None
        try:
            with self.action(atomic):
                server = compute.create_server(name=name, **attrs)
                server = self.wait_for_status(server, compute.get_server, "nova_server_boot")
        finally:  # the journal is written outside the timed step
            if server is None:
                self.tracker.failed(entry)
            else:
                self.tracked(entry, server.id)
        return server

    # -- the rest --------------------------------------------------------------------------

    def _delete_server(self, server: Any, *, force: bool = False) -> None:
        """Delete a server and wait until it is gone, timed as ``nova.(force_)delete_server``."""
        compute = self.clients.compute
        atomic = "nova.force_delete_server" if force else "nova.delete_server"
        with self.action(atomic):
            compute.delete_server(server, force=force)
            self.wait_for_delete(
                lambda: compute.get_server(server.id), "nova_server_delete", f"server {server.id}"
            )
        self.untracked(ResourceKind.SERVER, server.id)

    def _list_servers(self, detailed: bool = True) -> list[Any]:
        with self.action("nova.list_servers"):
            return list(self.clients.compute.servers(details=detailed))

    def _show_server(self, server: Any) -> Any:
        with self.action("nova.show_server"):
            return self.clients.compute.get_server(server.id)
