"""NovaAvailabilityZones.*: list the compute availability zones."""

from __future__ import annotations

from typing import ClassVar

from squall.scenarios.openstack.base import OpenStackArgs, OpenStackScenario


class ListAvailabilityZones(OpenStackScenario):
    """List availability zones (with their hosts and services when ``detailed``, admin)."""

    name: ClassVar[str] = "NovaAvailabilityZones.list_availability_zones"
    services: ClassVar[tuple[str, ...]] = ("compute",)
    needs_admin: ClassVar[bool] = True

    class Config(OpenStackArgs):
        detailed: bool = True

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ListAvailabilityZones.Config)
        with self.action("nova.list_availability_zones"):
            list(self.admin_clients.compute.availability_zones(details=cfg.detailed))
