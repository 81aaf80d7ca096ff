"""NovaHypervisors.*: list, show, search hypervisors, their uptime and statistics (admin)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel

from squall.scenarios.openstack.base import OpenStackArgs, OpenStackScenario

#: the last compute API version with the statistics and uptime calls Rally makes
LEGACY = "2.87"


class _Detailed(OpenStackArgs):
    detailed: bool = True


class HypervisorScenario(OpenStackScenario):
    services: ClassVar[tuple[str, ...]] = ("compute",)
    needs_admin: ClassVar[bool] = True
    Config: ClassVar[type[BaseModel]] = _Detailed

    @property
    def compute(self) -> Any:
        return self.admin_clients.compute

    def _list(self) -> list[Any]:
        cfg = self.config
        detailed = cfg.detailed if isinstance(cfg, _Detailed) else True
        with self.action("nova.list_hypervisors"):
            return list(self.compute.hypervisors(details=detailed))


class ListHypervisors(HypervisorScenario):
    """List hypervisors."""

    name: ClassVar[str] = "NovaHypervisors.list_hypervisors"

    def run(self) -> None:
        self._list()


class ListAndGetHypervisors(HypervisorScenario):
    """List hypervisors, then show each."""

    name: ClassVar[str] = "NovaHypervisors.list_and_get_hypervisors"

    def run(self) -> None:
        for hypervisor in self._list():
            with self.action("nova.get_hypervisor"):
                self.compute.get_hypervisor(hypervisor.id)


class StatisticsHypervisors(HypervisorScenario):
    """Fetch the hypervisors' statistics (gone from compute API 2.88 on; asked at 2.87)."""

    name: ClassVar[str] = "NovaHypervisors.statistics_hypervisors"
    Config = OpenStackArgs

    def run(self) -> None:
        with self.action("nova.statistics_hypervisors"):
            self.compute.get(
                "/os-hypervisors/statistics",
                microversion=LEGACY,
                raise_exc=True,
            )


class ListAndGetUptimeHypervisors(HypervisorScenario):
    """List hypervisors, then fetch the uptime of each one that is up (API 2.87)."""

    name: ClassVar[str] = "NovaHypervisors.list_and_get_uptime_hypervisors"

    def run(self) -> None:
        for hypervisor in self._list():
            if hypervisor.state == "up":
                with self.action("nova.uptime_hypervisor"):
                    self.compute.get(
                        f"/os-hypervisors/{hypervisor.id}/uptime",
                        microversion=LEGACY,
                        raise_exc=True,
                    )


class ListAndSearchHypervisors(HypervisorScenario):
    """List hypervisors, then search each by its host name."""

    name: ClassVar[str] = "NovaHypervisors.list_and_search_hypervisors"

    def run(self) -> None:
        for hypervisor in self._list():
            with self.action("nova.search_hypervisors"):
                list(self.compute.hypervisors(hypervisor_hostname_pattern=hypervisor.name))
