"""NeutronTrunks.*: trunks and their subports (Rally's names and atomics).

Needs neutron's ``trunk`` extension (the ``trunk`` service plugin with a trunk
driver for the cloud's mechanism driver); preflight skips a workload whose cloud
lacks it, with the reason.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field

from squall.openstack.journal import ResourceKind
from squall.openstack.quota import QuotaUse
from squall.scenarios.openstack._neutron import NeutronScenario
from squall.scenarios.openstack._nova import BootArgs
from squall.scenarios.openstack._nova_ops import ServerOps
from squall.scenarios.openstack.base import OpenStackArgs


def subports(ports: list[Any], first_segment: int = 1) -> list[dict[str, Any]]:
    """Rally's subport payload: VLAN segmentation ids counted from ``first_segment``."""
    return [
        {"port_id": port.id, "segmentation_type": "vlan", "segmentation_id": segment}
        for segment, port in enumerate(ports, start=first_segment)
    ]


class TrunkScenario(NeutronScenario):
    extensions: ClassVar[tuple[str, ...]] = ("trunk",)
    #: True when every port is on a new network and subnet of its own, False when all
    #: are on one new network without a subnet
    network_per_port: ClassVar[bool] = True

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        """The trunk, its parent port and subports and their networks, all kept until the
        sweep (neutron's ``trunk`` quota is unlimited unless the operator sets one)."""
        ports = cls.subport_count(config) + 1
        networks = ports if cls.network_per_port else 1
        subnets = ports if cls.network_per_port else 0
        return QuotaUse.of(
            "neutron", keeps=True, trunk=1, ports=ports, networks=networks, subnets=subnets
        )

    @classmethod
    def subport_count(cls, config: BaseModel) -> int:
        """The subports one iteration makes (Rally's ``subport_count``)."""
        return int(getattr(config, "subport_count", 0))

    def _create_trunk(self, parent: Any, sub: list[dict[str, Any]] | None = None) -> Any:
        net = self.net
        attrs: dict[str, Any] = {"port_id": parent.id}
        if sub:
            attrs["sub_ports"] = sub
        return self.create_tracked(
            ResourceKind.TRUNK,
            "neutron.create_trunk",
            lambda name: net.create_trunk(name=name, **attrs),
        )

    def _port_on_new_subnet(self, network_args: dict[str, Any]) -> Any:
        """Rally's ``_create_network_and_subnets`` plus a port on the subnet."""
        network = self._create_network(**network_args)
        subnet = self._create_subnet(network.id)
        return self._create_port(network.id, fixed_ips=[{"subnet_id": subnet.id}])


class CreateAndListTrunks(TrunkScenario):
    """Create a trunk with ``subport_count`` subports, list trunks and its subports."""

    name: ClassVar[str] = "NeutronTrunks.create_and_list_trunks"
    network_per_port: ClassVar[bool] = False

    class Config(OpenStackArgs):
        network_create_args: dict[str, Any] | None = None
        subport_count: int = Field(10, ge=1)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndListTrunks.Config)
        network = self._create_network(**(cfg.network_create_args or {}))
        ports = [self._create_port(network.id) for _ in range(cfg.subport_count + 1)]
        trunk = self._create_trunk(ports[0], subports(ports[1:]))
        with self.action("neutron.list_trunks"):
            list(self.net.trunks())
        with self.action("neutron.list_subports_by_trunk"):
            self.net.get_trunk_subports(trunk.id)


class _BootTrunk(TrunkScenario, ServerOps):
    services: ClassVar[tuple[str, ...]] = ("network", "compute")
    waits: ClassVar[tuple[str, ...]] = ("nova_server_boot",)
    keeps_servers: ClassVar[bool] = True  # booted on the trunk, deleted by the sweep
    ports_by_nova: ClassVar[bool] = False  # booted on the trunk's parent port

    def boot_on(self, cfg: BootArgs, parent: Any) -> Any:
        return self._boot_with({**self.boot_attrs(cfg), "networks": [{"port": parent.id}]})


class BootServerWithSubports(_BootTrunk):
    """Create ``subport_count`` + 1 ports on new networks, a trunk, boot on its parent."""

    name: ClassVar[str] = "NeutronTrunks.boot_server_with_subports"

    class Config(BootArgs):
        network_create_args: dict[str, Any] | None = None
        subport_count: int = Field(10, ge=1)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootServerWithSubports.Config)
        args = cfg.network_create_args or {}
        ports = [self._port_on_new_subnet(args) for _ in range(cfg.subport_count + 1)]
        self._create_trunk(ports[0], subports(ports[1:]))
        self.boot_on(cfg, ports[0])


class BootServerAndAddSubports(_BootTrunk):
    """Create a trunk without subports, boot on its parent, add the subports one by one."""

    name: ClassVar[str] = "NeutronTrunks.boot_server_and_add_subports"

    class Config(BootArgs):
        network_create_args: dict[str, Any] | None = None
        subport_count: int = Field(10, ge=1)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootServerAndAddSubports.Config)
        args = cfg.network_create_args or {}
        ports = [self._port_on_new_subnet(args) for _ in range(cfg.subport_count + 1)]
        trunk = self._create_trunk(ports[0])
        self.boot_on(cfg, ports[0])
        for segment, port in enumerate(ports[1:], start=1):
            with self.action("neutron._add_subports_to_trunk"):
                self.net.add_trunk_subports(trunk.id, subports([port], segment))


class BootServerAndBatchAddSubports(_BootTrunk):
    """Like ``boot_server_and_add_subports``, adding the subports in ``batches``."""

    name: ClassVar[str] = "NeutronTrunks.boot_server_and_batch_add_subports"

    class Config(BootArgs):
        network_create_args: dict[str, Any] | None = None
        subports_per_batch: int = Field(10, ge=1)
        batches: int = Field(5, ge=1)

    @classmethod
    def subport_count(cls, config: BaseModel) -> int:
        assert isinstance(config, BootServerAndBatchAddSubports.Config)
        return config.subports_per_batch * config.batches

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BootServerAndBatchAddSubports.Config)
        args = cfg.network_create_args or {}
        count = cfg.subports_per_batch * cfg.batches
        ports = [self._port_on_new_subnet(args) for _ in range(count + 1)]
        trunk = self._create_trunk(ports[0])
        self.boot_on(cfg, ports[0])
        size = cfg.subports_per_batch
        for begin in range(0, count, size):
            batch = subports(ports[1 + begin : 1 + begin + size], begin + 1)
            with self.action("neutron._add_subports_to_trunk"):
                self.net.add_trunk_subports(trunk.id, batch)
