"""NeutronNetworks.*: networks, subnets, routers, ports and floating IPs.

Rally's names, arguments and atomic names (``neutron.create_network`` ...). The
``*_create_args`` / ``*_update_args`` dicts are passed to the API as they are.
Port and subnet scenarios use a ``network`` context network when there is one
(Rally's ``_get_or_create_network``), else create one.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field

from squall.openstack.journal import ResourceKind
from squall.openstack.quota import QuotaUse
from squall.scenarios.openstack._neutron import NeutronScenario, Topology
from squall.scenarios.openstack.base import OpenStackArgs


class _NetworkArgs(OpenStackArgs):
    network_create_args: dict[str, Any] | None = None


class _SubnetArgs(_NetworkArgs):
    subnet_create_args: dict[str, Any] | None = None
    subnet_cidr_start: str | None = None
    subnets_per_network: int = Field(1, ge=1)


class _RouterArgs(_SubnetArgs):
    router_create_args: dict[str, Any] | None = None


class _PortArgs(_NetworkArgs):
    port_create_args: dict[str, Any] | None = None
    ports_per_network: int = Field(1, ge=1)


#: every resource a ``_Networks`` scenario counts (a router's interface port is one of
#: the project's ports, made without a quota check)
_ALL = frozenset({"networks", "subnets", "routers", "ports", "router_interface_ports"})


class _Networks(NeutronScenario):
    #: what each iteration creates and keeps until the workload's sweep (it deletes the
    #: rest itself)
    kept: ClassVar[frozenset[str]] = frozenset()
    #: False when the network is the tenant's ``network`` context one if it has one (a
    #: new one, kept, otherwise)
    own_network: ClassVar[bool] = True

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        counts = cls._made(config)
        kept = {name: n for name, n in counts.items() if name in cls.kept}
        transient = {name: n for name, n in counts.items() if name not in cls.kept}
        use = QuotaUse.of("neutron", keeps=True, **kept) + QuotaUse.of(
            "neutron", keeps=False, **transient
        )
        return use if cls.own_network else use + QuotaUse.own_network()

    @classmethod
    def _made(cls, config: BaseModel) -> dict[str, int]:
        counts: dict[str, int] = {}
        if cls.own_network:
            counts["networks"] = 1
        if isinstance(config, _PortArgs):
            counts["ports"] = config.ports_per_network
        if isinstance(config, _SubnetArgs):
            counts["subnets"] = config.subnets_per_network
        if isinstance(config, _RouterArgs):  # one router per subnet, on its interface
            counts["routers"] = config.subnets_per_network
            counts["router_interface_ports"] = config.subnets_per_network
        return counts

    def net_args(self) -> dict[str, Any]:
        cfg = self.config
        assert isinstance(cfg, _NetworkArgs)
        return dict(cfg.network_create_args or {})

    def subnets(self, network_id: str) -> list[Any]:
        cfg = self.config
        assert isinstance(cfg, _SubnetArgs)
        return [
            self._create_subnet(
                network_id, start_cidr=cfg.subnet_cidr_start, **(cfg.subnet_create_args or {})
            )
            for _ in range(cfg.subnets_per_network)
        ]

    def topology(self) -> Topology:
        cfg = self.config
        assert isinstance(cfg, _RouterArgs)
        return self._create_network_topology(
            self.net_args(),
            dict(cfg.subnet_create_args or {}),
            dict(cfg.router_create_args or {}),
            cfg.subnets_per_network,
            cfg.subnet_cidr_start,
        )

    def ports(self) -> list[Any]:
        cfg = self.config
        assert isinstance(cfg, _PortArgs)
        network_id = self._get_or_create_network(**self.net_args())
        return [
            self._create_port(network_id, **(cfg.port_create_args or {}))
            for _ in range(cfg.ports_per_network)
        ]


# -- networks ----------------------------------------------------------------------------


class CreateAndListNetworks(_Networks):
    """Create a network, then list networks."""

    name: ClassVar[str] = "NeutronNetworks.create_and_list_networks"
    kept: ClassVar[frozenset[str]] = _ALL
    Config = _NetworkArgs

    def run(self) -> None:
        self._create_network(**self.net_args())
        with self.action("neutron.list_networks"):
            list(self.net.networks())


class CreateAndShowNetwork(_Networks):
    """Create a network, then show it."""

    name: ClassVar[str] = "NeutronNetworks.create_and_show_network"
    kept: ClassVar[frozenset[str]] = _ALL
    Config = _NetworkArgs

    def run(self) -> None:
        network = self._create_network(**self.net_args())
        with self.action("neutron.show_network"):
            self.net.get_network(network.id)


class CreateAndUpdateNetworks(_Networks):
    """Create a network, then update it with ``network_update_args``."""

    name: ClassVar[str] = "NeutronNetworks.create_and_update_networks"
    kept: ClassVar[frozenset[str]] = _ALL

    class Config(_NetworkArgs):
        network_update_args: dict[str, Any]

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndUpdateNetworks.Config)
        network = self._create_network(**self.net_args())
        with self.action("neutron.update_network"):
            self.net.update_network(network, **_named(cfg.network_update_args, self))


class CreateAndDeleteNetworks(_Networks):
    """Create a network, then delete it."""

    name: ClassVar[str] = "NeutronNetworks.create_and_delete_networks"
    Config = _NetworkArgs

    def run(self) -> None:
        network = self._create_network(**self.net_args())
        self._delete_network(network.id)


def _named(args: dict[str, Any], scenario: NeutronScenario) -> dict[str, Any]:
    """Update arguments; Rally's ``name: true`` means "a new random name"."""
    update = dict(args)
    if update.get("name") is True:
        update["name"] = scenario.generate_name()
    return update


# -- subnets ------------------------------------------------------------------------------


class CreateAndListSubnets(_Networks):
    """Create a network and ``subnets_per_network`` subnets, then list subnets."""

    name: ClassVar[str] = "NeutronNetworks.create_and_list_subnets"
    kept: ClassVar[frozenset[str]] = _ALL
    Config = _SubnetArgs

    def run(self) -> None:
        network = self._create_network(**self.net_args())
        self.subnets(network.id)
        with self.action("neutron.list_subnets"):
            list(self.net.subnets())


class CreateAndUpdateSubnets(_Networks):
    """Create a network and subnets, then update each subnet."""

    name: ClassVar[str] = "NeutronNetworks.create_and_update_subnets"
    kept: ClassVar[frozenset[str]] = _ALL

    class Config(_SubnetArgs):
        subnet_update_args: dict[str, Any]

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndUpdateSubnets.Config)
        network = self._create_network(**self.net_args())
        for subnet in self.subnets(network.id):
            with self.action("neutron.update_subnet"):
                self.net.update_subnet(subnet, **_named(cfg.subnet_update_args, self))


class CreateAndShowSubnets(_Networks):
    """Create subnets on a context (or new) network, then show each."""

    name: ClassVar[str] = "NeutronNetworks.create_and_show_subnets"
    own_network: ClassVar[bool] = False
    kept: ClassVar[frozenset[str]] = _ALL
    Config = _SubnetArgs

    def run(self) -> None:
        network_id = self._get_or_create_network(**self.net_args())
        for subnet in self.subnets(network_id):
            with self.action("neutron.show_subnet"):
                self.net.get_subnet(subnet.id)


class CreateAndDeleteSubnets(_Networks):
    """Create subnets on a context (or new) network, then delete each."""

    name: ClassVar[str] = "NeutronNetworks.create_and_delete_subnets"
    own_network: ClassVar[bool] = False
    Config = _SubnetArgs

    def run(self) -> None:
        network_id = self._get_or_create_network(**self.net_args())
        for subnet in self.subnets(network_id):
            self._delete_subnet(subnet.id)


# -- routers ------------------------------------------------------------------------------


class CreateAndListRouters(_Networks):
    """Create a network, subnets and a router per subnet, then list routers."""

    name: ClassVar[str] = "NeutronNetworks.create_and_list_routers"
    kept: ClassVar[frozenset[str]] = _ALL
    Config = _RouterArgs

    def run(self) -> None:
        self.topology()
        with self.action("neutron.list_routers"):
            list(self.net.routers())


class CreateAndShowRouters(_Networks):
    """Create a network, subnets and routers, then show each router."""

    name: ClassVar[str] = "NeutronNetworks.create_and_show_routers"
    kept: ClassVar[frozenset[str]] = _ALL
    Config = _RouterArgs

    def run(self) -> None:
        for router in self.topology().routers:
            with self.action("neutron.show_router"):
                self.net.get_router(router.id)


class CreateAndUpdateRouters(_Networks):
    """Create a network, subnets and routers, then update each router."""

    name: ClassVar[str] = "NeutronNetworks.create_and_update_routers"
    kept: ClassVar[frozenset[str]] = _ALL

    class Config(_RouterArgs):
        router_update_args: dict[str, Any]

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndUpdateRouters.Config)
        for router in self.topology().routers:
            with self.action("neutron.update_router"):
                self.net.update_router(router, **_named(cfg.router_update_args, self))


class CreateAndDeleteRouters(_Networks):
    """Create a network, subnets and routers; remove each interface, delete each router."""

    name: ClassVar[str] = "NeutronNetworks.create_and_delete_routers"
    kept: ClassVar[frozenset[str]] = frozenset({"networks", "subnets"})
    Config = _RouterArgs

    def run(self) -> None:
        topo = self.topology()
        for router, subnet in zip(topo.routers, topo.subnets, strict=True):
            self._remove_interface(router.id, subnet.id)
            self._delete_router(router.id)


class SetAndClearRouterGateway(_Networks):
    """Create an external network and a router, set the router's gateway, clear it."""

    name: ClassVar[str] = "NeutronNetworks.set_and_clear_router_gateway"
    needs_admin: ClassVar[bool] = True

    class Config(_NetworkArgs):
        enable_snat: bool = True
        router_create_args: dict[str, Any] | None = None

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        """The router, kept; the external network is the admin's."""
        return QuotaUse.of("neutron", keeps=True, routers=1)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, SetAndClearRouterGateway.Config)
        external = self._create_external_network(self.net_args())
        router = self._create_router(**(cfg.router_create_args or {}))
        gateway: dict[str, Any] = {"network_id": external.id}
        if cfg.enable_snat and self._has_extension("ext-gw-mode"):
            gateway["enable_snat"] = True
        with self.action("neutron.add_gateway_router"):
            self.net.update_router(router, external_gateway_info=gateway)
        with self.action("neutron.remove_gateway_router"):
            self.net.update_router(router, external_gateway_info={})

    def _create_external_network(self, attrs: dict[str, Any]) -> Any:
        """The external network, made by the admin (Rally's gate job gives its users the
        admin role with the ``roles`` context for this)."""
        admin = self.admin_clients.network
        return self.create_tracked(
            ResourceKind.NETWORK,
            "neutron.create_network",
            lambda name: admin.create_network(name=name, **attrs),
        )

    def _has_extension(self, alias: str) -> bool:
        return self.net.find_extension(alias, ignore_missing=True) is not None


# -- ports --------------------------------------------------------------------------------


class CreateAndListPorts(_Networks):
    """Create ``ports_per_network`` ports on a context (or new) network, then list ports."""

    name: ClassVar[str] = "NeutronNetworks.create_and_list_ports"
    own_network: ClassVar[bool] = False
    kept: ClassVar[frozenset[str]] = _ALL
    Config = _PortArgs

    def run(self) -> None:
        self.ports()
        with self.action("neutron.list_ports"):
            list(self.net.ports())


class CreateAndUpdatePorts(_Networks):
    """Create ports, updating each with ``port_update_args``."""

    name: ClassVar[str] = "NeutronNetworks.create_and_update_ports"
    own_network: ClassVar[bool] = False
    kept: ClassVar[frozenset[str]] = _ALL

    class Config(_PortArgs):
        port_update_args: dict[str, Any]

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndUpdatePorts.Config)
        for port in self.ports():
            with self.action("neutron.update_port"):
                self.net.update_port(port, **_named(cfg.port_update_args, self))


class CreateAndShowPorts(_Networks):
    """Create ports, showing each."""

    name: ClassVar[str] = "NeutronNetworks.create_and_show_ports"
    own_network: ClassVar[bool] = False
    kept: ClassVar[frozenset[str]] = _ALL
    Config = _PortArgs

    def run(self) -> None:
        for port in self.ports():
            with self.action("neutron.show_port"):
                self.net.get_port(port.id)


class CreateAndDeletePorts(_Networks):
    """Create ports, deleting each."""

    name: ClassVar[str] = "NeutronNetworks.create_and_delete_ports"
    own_network: ClassVar[bool] = False
    Config = _PortArgs

    def run(self) -> None:
        for port in self.ports():
            self._delete_port(port.id)


# -- floating IPs -----------------------------------------------------------------------


class _FloatingArgs(OpenStackArgs):
    floating_network: str | None = None
    floating_ip_args: dict[str, Any] | None = None


class CreateAndListFloatingIps(NeutronScenario):
    """Allocate a floating IP, then list floating IPs."""

    name: ClassVar[str] = "NeutronNetworks.create_and_list_floating_ips"
    Config = _FloatingArgs

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        return QuotaUse.of("neutron", keeps=True, floating_ips=1)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _FloatingArgs)
        external = self._external_network(cfg.floating_network)
        self._create_floating_ip(external, **(cfg.floating_ip_args or {}))
        with self.action("neutron.list_floating_ips"):
            list(self.net.ips())


class CreateAndDeleteFloatingIps(NeutronScenario):
    """Allocate a floating IP, then release it."""

    name: ClassVar[str] = "NeutronNetworks.create_and_delete_floating_ips"
    Config = _FloatingArgs

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        return QuotaUse.of("neutron", keeps=False, floating_ips=1)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _FloatingArgs)
        external = self._external_network(cfg.floating_network)
        fip = self._create_floating_ip(external, **(cfg.floating_ip_args or {}))
        self._delete_floating_ip(fip.id)


class AssociateAndDissociateFloatingIps(NeutronScenario):
    """Floating IP, network, subnet, port and router (gateway + interface); associate
    the floating IP with the port, then dissociate it."""

    name: ClassVar[str] = "NeutronNetworks.associate_and_dissociate_floating_ips"

    class Config(OpenStackArgs):
        floating_network: str | None = None

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        """All kept until the sweep, the router's interface port too."""
        counts = {"floating_ips": 1, "networks": 1, "subnets": 1, "ports": 1, "routers": 1}
        return QuotaUse.of("neutron", keeps=True, router_interface_ports=1, **counts)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, AssociateAndDissociateFloatingIps.Config)
        external = self._external_network(cfg.floating_network)
        fip = self._create_floating_ip(external)
        network = self._create_network()
        subnet = self._create_subnet(network.id)
        port = self._create_port(network.id)
        router = self._create_router()
        with self.action("neutron.add_gateway_router"):
            self.net.update_router(router, external_gateway_info={"network_id": external})
        self._add_interface(router.id, subnet.id)
        self._associate_fip_port(fip.id, port.id)
        self._dissociate_fip(fip.id)


class ListAgents(NeutronScenario):
    """List neutron agents (admin)."""

    name: ClassVar[str] = "NeutronNetworks.list_agents"
    needs_admin: ClassVar[bool] = True

    class Config(OpenStackArgs):
        agent_args: dict[str, Any] | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ListAgents.Config)
        with self.action("neutron.list_agents"):
            list(self.admin_clients.network.agents(**(cfg.agent_args or {})))
