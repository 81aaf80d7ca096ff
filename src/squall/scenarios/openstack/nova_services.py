"""NovaServices.*: list the compute services (admin)."""

from __future__ import annotations

from typing import ClassVar

from squall.scenarios.openstack.base import OpenStackArgs, OpenStackScenario


class ListServices(OpenStackScenario):
    """List nova services, optionally of one host or binary."""

    name: ClassVar[str] = "NovaServices.list_services"
    services: ClassVar[tuple[str, ...]] = ("compute",)
    needs_admin: ClassVar[bool] = True

    class Config(OpenStackArgs):
        host: str | None = None
        binary: str | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ListServices.Config)
        query = {k: v for k, v in (("host", cfg.host), ("binary", cfg.binary)) if v}
        with self.action("nova.list_services"):
            list(self.admin_clients.compute.services(**query))
