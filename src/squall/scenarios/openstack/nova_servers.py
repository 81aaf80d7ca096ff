"""NovaServers.*: boot, list, show and delete servers (Rally's names, arguments, atomics).

Servers a scenario leaves behind (``boot_server``, ``boot_and_list_server``...) are
journaled and deleted when the workload's ``users`` context is cleaned up, or by
the sweep at the end of the run, as Rally's ``cleanup@openstack: [nova]`` does.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from squall.errors import CloudError
from squall.scenarios.openstack._nova import BootArgs, NovaScenario
from squall.scenarios.openstack.base import OpenStackArgs


class BootAndDeleteServer(NovaScenario):
    """Boot a server, wait until ACTIVE, sleep a random time, delete it and wait until gone."""

    name: ClassVar[str] = "NovaServers.boot_and_delete_server"

    class Config(BootArgs):
        min_sleep: float = Field(0, ge=0)
        max_sleep: float = Field(0, ge=0)
        force_delete: bool = False

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootAndDeleteServer.Config)
        server = self._boot_server(cfg)
        self.sleep_between(cfg.min_sleep, cfg.max_sleep)
        self._delete_server(server, force=cfg.force_delete)


class BootAndListServer(NovaScenario):
    """Boot a server, then list servers and check the new one is listed."""

    name: ClassVar[str] = "NovaServers.boot_and_list_server"
    keeps_servers: ClassVar[bool] = True
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot",)

    class Config(BootArgs):
        detailed: bool = True

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootAndListServer.Config)
        server = self._boot_server(cfg)
        listed = {s.id for s in self._list_servers(cfg.detailed)}
        if server.id not in listed:
            raise CloudError(
                f"server {server.id} is not in the list of servers ({len(listed)} listed)"
            )


class BootServer(NovaScenario):
    """Boot a server and wait until ACTIVE (it is deleted at cleanup)."""

    name: ClassVar[str] = "NovaServers.boot_server"
    keeps_servers: ClassVar[bool] = True
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot",)
    Config = BootArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootArgs)
        self._boot_server(cfg)


class BootAndShowServer(NovaScenario):
    """Boot a server, then show its details."""

    name: ClassVar[str] = "NovaServers.boot_and_show_server"
    keeps_servers: ClassVar[bool] = True
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot",)
    Config = BootArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootArgs)
        server = self._boot_server(cfg)
        self._show_server(server)


class ListServers(NovaScenario):
    """List the servers of the user (use the ``servers`` context to have some)."""

    name: ClassVar[str] = "NovaServers.list_servers"
    servers_per_iteration: ClassVar[int] = 0
    waits: ClassVar[tuple[str, ...]] = ()

    class Config(OpenStackArgs):
        detailed: bool = True

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ListServers.Config)
        self._list_servers(cfg.detailed)
