"""``network``: networks, subnets and routers in every tenant (Rally's arguments).

Subnet CIDRs are taken one after another from ``start_cidr``. When ``router``
allows it (the default) and the cloud has an external network, each network's
subnets get a router with its gateway on that external network (the first one
with a subnet, as floating IPs need; else the first one).
"""

from __future__ import annotations

import ipaddress
import itertools
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.contexts.openstack._base import OpenStackContext
from squall.errors import ConfigError
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind
from squall.openstack.lookup import usable_external
from squall.openstack.tenants import NetworkInfo, Tenant


class RouterArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    external: bool = Field(True, description="gateway on the external network, if any")
    enable_snat: bool | None = None
    external_gateway_info: dict[str, Any] | None = None


def cidrs(start: str) -> Iterator[str]:
    """``start`` and the following networks of the same size (pure)."""
    try:
        net = ipaddress.ip_network(start, strict=False)
    except ValueError as exc:
        raise ConfigError(f"network: bad start_cidr {start!r}: {exc}") from None
    step = net.num_addresses
    for index in itertools.count():
        base = int(net.network_address) + index * step
        yield str(ipaddress.ip_network((base, net.prefixlen)))


class NetworkContext(OpenStackContext):
    """Create networks (with subnets and routers) in every tenant."""

    name: ClassVar[str] = "network"
    order: ClassVar[int] = 350

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")
        start_cidr: str = "10.2.0.0/24"
        networks_per_tenant: int = Field(1, ge=1)
        subnets_per_network: int = Field(1, ge=1)
        network_create_args: dict[str, Any] = Field(default_factory=dict)
        dns_nameservers: list[str] | None = None
        dualstack: bool = False
        router: RouterArgs = Field(default_factory=RouterArgs)

    @classmethod
    def quota_use(cls, config: BaseModel) -> dict[str, dict[str, int]]:
        """Networks and subnets; a router per network with an interface port on each
        subnet when the config gives a gateway (``for_cloud`` finds the external one)."""
        assert isinstance(config, NetworkContext.Config)
        networks = config.networks_per_tenant
        subnets = networks * config.subnets_per_network
        counts = {"networks": networks, "subnets": subnets}
        if gateway(config.router, None) is not None:
            counts |= {"routers": networks, "router_interface_ports": subnets}
        return {"neutron": counts}

    @classmethod
    def for_cloud(cls, config: BaseModel, conn: Any) -> BaseModel:
        """With the gateway on the cloud's external network when the router wants one."""
        assert isinstance(config, NetworkContext.Config)
        router = config.router
        if not router.external or router.external_gateway_info is not None:
            return config
        info = gateway(router, _usable_external(conn))
        return config.model_copy(
            update={"router": router.model_copy(update={"external_gateway_info": info})}
        )

    @property
    def cfg(self) -> NetworkContext.Config:
        assert isinstance(self.config, NetworkContext.Config)
        return self.config

    def setup(self) -> None:
        if self.cfg.dualstack:
            raise ConfigError("network: dualstack is not supported yet")
        self._cidrs = cidrs(self.cfg.start_cidr)
        self._lock = threading.Lock()
        external = _usable_external(self.admin) if self.cfg.router.external else None
        self._gateway = gateway(self.cfg.router, external)
        slots = [t for t in self.users.tenants for _ in range(self.cfg.networks_per_tenant)]
        made = self.concurrently(self._network, slots)
        for tenant, info in zip(slots, made, strict=True):
            tenant.networks.append(info)

    def _next_cidr(self) -> str:
        with self._lock:
            return next(self._cidrs)

    def _network(self, tenant: Tenant) -> NetworkInfo:
        net_api = self.admin.network
        args = dict(self.cfg.network_create_args)
        network = self.create(
            ResourceKind.NETWORK,
            lambda name: net_api.create_network(name=name, project_id=tenant.id, **args),
            project_id=tenant.id,
        )
        info = NetworkInfo(id=network.id, name=network.name)
        router = self._router(tenant) if self._gateway is not None else None
        for _ in range(self.cfg.subnets_per_network):
            subnet = self.create(
                ResourceKind.SUBNET,
                lambda name: net_api.create_subnet(
                    name=name,
                    network_id=network.id,
                    project_id=tenant.id,
                    ip_version=4,
                    cidr=self._next_cidr(),
                    dns_nameservers=self.cfg.dns_nameservers or [],
                ),
                project_id=tenant.id,
                parent_id=network.id,  # cleanup lets it go with its network
            )
            info.subnets.append(subnet.id)
            if router is not None:
                self._interface(router, subnet)
        info.router_id = router.id if router is not None else None
        return info

    def _interface(self, router: Any, subnet: Any) -> None:
        net_api = self.admin.network

        def add(_: str) -> Any:
            return net_api.add_interface_to_router(router, subnet_id=subnet.id)

        self.create(
            ResourceKind.ROUTER_INTERFACE,
            add,
            name=f"{router.name}:{subnet.id}",
            parent_id=router.id,
            resource_id=lambda _: str(subnet.id),
        )

    def _router(self, tenant: Tenant) -> Any:
        net_api, info = self.admin.network, self._gateway
        return self.create(
            ResourceKind.ROUTER,
            lambda name: net_api.create_router(
                name=name, project_id=tenant.id, external_gateway_info=info
            ),
            project_id=tenant.id,
        )


def gateway(router: RouterArgs, external: str | None) -> dict[str, Any] | None:
    """The gateway of the router each network gets: ``external_gateway_info`` as given,
    else one on the cloud's ``external`` network unless told not to (``enable_snat`` as
    asked), else None: no router (pure)."""
    if router.external_gateway_info is not None:
        return router.external_gateway_info
    if external is None or not router.external:
        return None
    info: dict[str, Any] = {"network_id": external}
    if router.enable_snat is not None:
        info["enable_snat"] = router.enable_snat
    return info


def _usable_external(conn: Any) -> str | None:
    """The gateway network: the first external network with a subnet (else the first)."""
    with cloud_errors("neutron.list_networks"):
        usable = usable_external(conn.network.networks(is_router_external=True))
    return None if usable is None else str(usable.id)
