"""NovaServers.*: several servers at once, updates, interfaces, attachments, console URL.

Rally's names, arguments and atomic names; the rest of the group is in
``nova_servers`` and ``nova_servers_lifecycle``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field

from squall.openstack.quota import QuotaUse
from squall.scenarios.openstack._neutron import NeutronScenario
from squall.scenarios.openstack._nova import BootArgs
from squall.scenarios.openstack._nova_ops import ServerOps
from squall.scenarios.openstack.base import OpenStackArgs


class BootAndDeleteMultipleServers(ServerOps):
    """Boot ``count`` servers, sleep, delete them all.

    Rally asks for all of them in one request (``min_count``); squall makes ``count``
    requests inside the one ``nova.boot_servers`` action, so that every server has a
    name of its own in the journal and cleanup can find it after a crash.
    """

    name: ClassVar[str] = "NovaServers.boot_and_delete_multiple_servers"

    class Config(BootArgs):
        count: int = Field(2, ge=1)
        min_sleep: float = Field(0, ge=0)
        max_sleep: float = Field(0, ge=0)
        force_delete: bool = False

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootAndDeleteMultipleServers.Config)
        servers = self._boot_servers(self.boot_attrs(cfg), cfg.count)
        self.sleep_between(cfg.min_sleep, cfg.max_sleep)
        self._delete_servers(servers, force=cfg.force_delete)


class BootAndUpdateServer(ServerOps):
    """Boot a server, then give it a new name (and ``description``)."""

    name: ClassVar[str] = "NovaServers.boot_and_update_server"
    keeps_servers: ClassVar[bool] = True  # deleted by the workload's sweep
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot",)

    class Config(BootArgs):
        description: str | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootAndUpdateServer.Config)
        server = self._boot_server(cfg)
        changes = {"name": self.generate_name()}
        if cfg.description:
            changes["description"] = cfg.description
        with self.action("nova.update_server"):
            self.clients.compute.update_server(server, **changes)


class BootServerAndListInterfaces(ServerOps):
    """Boot a server, then list its interfaces."""

    name: ClassVar[str] = "NovaServers.boot_server_and_list_interfaces"
    keeps_servers: ClassVar[bool] = True  # deleted by the workload's sweep
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot",)
    Config = BootArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootArgs)
        server = self._boot_server(cfg)
        with self.action("nova.list_interfaces"):
            list(self.clients.compute.server_interfaces(server))


class BootServerAndAttachInterface(NeutronScenario, ServerOps):
    """Create a subnet on a context (or new) network, boot a server, attach a port of
    that network to it."""

    name: ClassVar[str] = "NovaServers.boot_server_and_attach_interface"
    services: ClassVar[tuple[str, ...]] = ("compute", "network")
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot",)
    keeps_servers: ClassVar[bool] = True

    class Config(OpenStackArgs):
        image: Any
        flavor: Any
        network_create_args: dict[str, Any] | None = None
        subnet_create_args: dict[str, Any] | None = None
        subnet_cidr_start: str | None = None
        boot_server_args: dict[str, Any] | None = None

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        """The subnet and the attached port, kept with the server until the sweep; a new
        network too when the tenant has none from a context."""
        use = QuotaUse.of("neutron", keeps=True, subnets=1, ports=1)
        return use + QuotaUse.own_network()

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootServerAndAttachInterface.Config)
        boot = BootArgs.model_validate(
            {"image": cfg.image, "flavor": cfg.flavor, **(cfg.boot_server_args or {})}
        )
        network_id = self._get_or_create_network(**(cfg.network_create_args or {}))
        self._create_subnet(
            network_id, start_cidr=cfg.subnet_cidr_start, **(cfg.subnet_create_args or {})
        )
        server = self._boot_server(boot)
        with self.action("nova.attach_interface"):
            self.clients.compute.create_server_interface(server, net_id=network_id)


class BootAndGetConsoleUrl(ServerOps):
    """Boot a server, then ask for a console URL of ``console_type`` (novnc, spice...)."""

    name: ClassVar[str] = "NovaServers.boot_and_get_console_url"
    keeps_servers: ClassVar[bool] = True  # deleted by the workload's sweep
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot",)

    class Config(BootArgs):
        console_type: str

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootAndGetConsoleUrl.Config)
        server = self._boot_server(cfg)
        with self.action("nova.get_console_url_server"):
            self.clients.compute.create_console(server, console_type=cfg.console_type)
