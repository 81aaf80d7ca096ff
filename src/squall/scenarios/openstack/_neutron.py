"""Neutron helpers: networks, subnets, routers, ports, floating IPs, security groups.

``NeutronScenario`` times each call under Rally's ``neutron.*`` atomic name and
journals what it creates. Argument dicts (``network_create_args`` ...) are passed to
openstacksdk, which accepts the API's own keys (``router:external``,
``provider:network_type``) as well as its attribute names. Subnet CIDRs are drawn
from ``start_cidr`` as Rally does: one process-wide counter hands each new subnet
the next block of the same size.
"""

from __future__ import annotations

import ipaddress
import itertools
import random
import threading
from dataclasses import dataclass, field
from typing import Any, ClassVar

from squall.errors import ConfigError
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind
from squall.openstack.lookup import usable_external
from squall.scenarios.openstack.base import OpenStackScenario

DEFAULT_START_CIDR = {4: "10.2.0.0/24", 6: "dead:beaf::/64"}
DEFAULT_DNS = {4: ["8.8.8.8", "8.8.4.4"], 6: ["dead:beaf::1", "dead:beaf::2"]}


class CidrCounter:
    """Hands out consecutive blocks of a start CIDR (thread-safe; pure)."""

    def __init__(self) -> None:
        self._counters: dict[int, itertools.count[int]] = {
            4: itertools.count(),
            6: itertools.count(),
        }
        self._lock = threading.Lock()

    def next(self, ip_version: int | None = None, start_cidr: str | None = None) -> tuple[int, str]:
        """The IP version and CIDR of the next subnet (Rally's ``generate_cidr``)."""
        default = DEFAULT_START_CIDR[6 if ip_version == 6 else 4]
        network = ipaddress.ip_network(start_cidr or default, strict=False)
        version: int = network.version
        with self._lock:
            index = next(self._counters[version])
        first = int(network.network_address) + index * network.num_addresses
        return version, str(type(network)((first, network.prefixlen)))


CIDRS = CidrCounter()


@dataclass
class Topology:
    """What ``_create_network_topology`` made."""

    network: Any
    subnets: list[Any] = field(default_factory=list)
    routers: list[Any] = field(default_factory=list)


class NeutronScenario(OpenStackScenario):
    """Neutron operations as Rally's neutron service times them."""

    services: ClassVar[tuple[str, ...]] = ("network",)

    @property
    def net(self) -> Any:
        return self.clients.network

    def _created(self, kind: ResourceKind, atomic: str, create: Any, **attrs: Any) -> Any:
        clean = {k: v for k, v in attrs.items() if v is not None}
        return self.create_tracked(kind, atomic, lambda name: create(name=name, **clean))

    def _deleted(self, kind: ResourceKind, atomic: str, delete: Any, resource_id: str) -> None:
        with self.action(atomic):
            delete(resource_id)
        self.untracked(kind, resource_id)

    # -- networks --------------------------------------------------------------------------

    def _create_network(self, **attrs: Any) -> Any:
        return self._created(
            ResourceKind.NETWORK, "neutron.create_network", self.net.create_network, **attrs
        )

    def _delete_network(self, network_id: str) -> None:
        self._deleted(
            ResourceKind.NETWORK, "neutron.delete_network", self.net.delete_network, network_id
        )

    def _get_or_create_network(self, **attrs: Any) -> str:
        """The id of a ``network`` context network of the tenant, or of a new one."""
        if self.tenant.networks:
            return random.choice(self.tenant.networks).id
        return str(self._create_network(**attrs).id)

    # -- subnets -------------------------------------------------------------------------------

    def _create_subnet(
        self,
        network_id: str,
        start_cidr: str | None = None,
        router_id: str | None = None,
        **attrs: Any,
    ) -> Any:
        attrs = dict(attrs)
        if not attrs.get("cidr"):
            version, attrs["cidr"] = CIDRS.next(attrs.get("ip_version"), start_cidr)
            attrs["ip_version"] = version
        version = attrs.setdefault("ip_version", ipaddress.ip_network(attrs["cidr"]).version)
        attrs.setdefault("dns_nameservers", DEFAULT_DNS[int(version)])
        net = self.net
        name = self.generate_name()
        entry = self.track(ResourceKind.SUBNET, name, parent_id=network_id)
        subnet = None
        try:
            with self.action("neutron.create_subnet"):
                subnet = net.create_subnet(name=name, network_id=network_id, **attrs)
                self.tracked(entry, subnet.id)
                if router_id:
                    self._add_interface(router_id, subnet.id)
        finally:
            if subnet is None:
                self.tracker.failed(entry)
        return subnet

    def _delete_subnet(self, subnet_id: str) -> None:
        self._deleted(
            ResourceKind.SUBNET, "neutron.delete_subnet", self.net.delete_subnet, subnet_id
        )

    # -- routers -----------------------------------------------------------------------------

    def _create_router(self, **attrs: Any) -> Any:
        return self._created(
            ResourceKind.ROUTER, "neutron.create_router", self.net.create_router, **attrs
        )

    def _add_interface(self, router_id: str, subnet_id: str) -> None:
        with self.action("neutron.add_interface_router"):
            self.net.add_interface_to_router(router_id, subnet_id=subnet_id)

    def _remove_interface(self, router_id: str, subnet_id: str) -> None:
        with self.action("neutron.remove_interface_router"):
            self.net.remove_interface_from_router(router_id, subnet_id=subnet_id)

    def _delete_router(self, router_id: str) -> None:
        self._deleted(
            ResourceKind.ROUTER, "neutron.delete_router", self.net.delete_router, router_id
        )

    def _create_network_topology(
        self,
        network_args: dict[str, Any],
        subnet_args: dict[str, Any],
        router_args: dict[str, Any] | None,
        subnets: int,
        start_cidr: str | None,
    ) -> Topology:
        """A network, ``subnets`` subnets and (with ``router_args``) one router per subnet
        with an interface on it: Rally's ``create_network_topology(router_per_subnet)``."""
        topo = Topology(network=self._create_network(**network_args))
        if router_args is not None:
            topo.routers = [self._create_router(**router_args) for _ in range(subnets)]
        for index in range(subnets):
            router = topo.routers[index].id if topo.routers else None
            topo.subnets.append(
                self._create_subnet(
                    topo.network.id, start_cidr=start_cidr, router_id=router, **subnet_args
                )
            )
        return topo

    # -- ports ---------------------------------------------------------------------------------

    def _create_port(self, network_id: str, **attrs: Any) -> Any:
        return self._created(
            ResourceKind.PORT,
            "neutron.create_port",
            self.net.create_port,
            network_id=network_id,
            **attrs,
        )

    def _delete_port(self, port_id: str) -> None:
        self._deleted(ResourceKind.PORT, "neutron.delete_port", self.net.delete_port, port_id)

    # -- floating IPs -------------------------------------------------------------------------

    def _external_network(self, name_or_id: str | None) -> str:
        """The id of the external network ``name_or_id``; by default the first external
        network with a subnet (Rally takes the first one, even one it cannot use)."""
        with cloud_errors("neutron.list_networks"):
            if name_or_id:
                found = self.net.find_network(name_or_id, ignore_missing=True)
                if found is None or not found.is_router_external:
                    raise ConfigError(f"no external network {name_or_id!r}")
                return str(found.id)
            usable = usable_external(self.net.networks(is_router_external=True))
        if usable is None:
            raise ConfigError(
                "no external network to allocate floating IPs from",
                hint="create one (router:external) or pass `floating_network`",
            )
        return str(usable.id)

    def _create_floating_ip(self, network_id: str, **attrs: Any) -> Any:
        """Allocate a floating IP (named by its description, as Rally does)."""
        net = self.net
        clean = {k: v for k, v in attrs.items() if v is not None}
        name = self.generate_name()
        entry = self.track(ResourceKind.FLOATING_IP, name)
        fip = None
        try:
            with self.action("neutron.create_floating_ip"):
                fip = net.create_ip(floating_network_id=network_id, description=name, **clean)
        finally:
            if fip is None:
                self.tracker.failed(entry)
            else:
                self.tracked(entry, fip.id)
        return fip

    def _delete_floating_ip(self, fip_id: str) -> None:
        self._deleted(
            ResourceKind.FLOATING_IP, "neutron.delete_floating_ip", self.net.delete_ip, fip_id
        )

    def _associate_fip_port(self, fip_id: str, port_id: str) -> None:
        with self.action("neutron.associate_floating_ip"):
            self.net.update_ip(fip_id, port_id=port_id)

    def _dissociate_fip(self, fip_id: str) -> None:
        with self.action("neutron.dissociate_floating_ip"):
            self.net.update_ip(fip_id, port_id=None)

    # -- security groups -------------------------------------------------------------------

    def _create_security_group(self, **attrs: Any) -> Any:
        return self._created(
            ResourceKind.SECURITY_GROUP,
            "neutron.create_security_group",
            self.net.create_security_group,
            **attrs,
        )

    def _delete_security_group(self, group_id: str) -> None:
        self._deleted(
            ResourceKind.SECURITY_GROUP,
            "neutron.delete_security_group",
            self.net.delete_security_group,
            group_id,
        )
