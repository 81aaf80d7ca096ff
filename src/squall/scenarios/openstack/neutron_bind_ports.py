"""NeutronNetworks.create_and_bind_ports: subnets, ports and their binding to a host.

Rally's name, argument and atomic names. The host is the last live, enabled agent
of the L2 types Rally binds with (``networking_agents`` context); a cloud whose
mechanism driver needs no agent (OVN's own agents aside, squall's devcloud) has
none, and then a nova compute host that is up is used. Unlike Rally, the binding is
checked: a port neutron could not bind fails the iteration.
"""

from __future__ import annotations

import ipaddress
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from squall.errors import CloudError, ConfigError
from squall.openstack.errors import cloud_errors
from squall.openstack.quota import QuotaUse
from squall.openstack.tenants import NetworkingAgent, NetworkingAgents
from squall.scenarios.openstack._neutron import CIDRS, NeutronScenario
from squall.scenarios.openstack.base import OpenStackArgs

#: Rally's ``neutron_bind_l2_agent_types`` default (the agent types of its gate jobs)
L2_AGENT_TYPES = ("Open vSwitch agent", "Linux bridge agent")
#: what Rally sets on the port it binds, as if nova had plugged it into a server
DEVICE_OWNER = "compute:nova"
DEVICE_ID = "ba805478-85ff-11e9-a2e4-2b8dea218fc8"
UNBOUND = ("binding_failed", "unbound", "")


def agent_host(agents: list[NetworkingAgent], types: tuple[str, ...]) -> str | None:
    """The host of the last live, enabled agent of one of ``types`` (Rally's pick; pure)."""
    hosts = [a.host for a in agents if a.alive and a.admin_state_up and a.agent_type in types]
    return hosts[-1] if hosts else None


class CreateAndBindPorts(NeutronScenario):
    """In every network of the tenant, create an IPv4 and an IPv6 subnet and
    ``ports_per_network`` ports, and bind each port to a host (as the admin)."""

    name: ClassVar[str] = "NeutronNetworks.create_and_bind_ports"
    needs_admin: ClassVar[bool] = True

    class Config(OpenStackArgs):
        ports_per_network: int = Field(1, ge=1)
        l2_agent_types: list[str] = Field(
            default_factory=lambda: list(L2_AGENT_TYPES),
            description="agent types whose hosts ports are bound to (Rally's "
            "neutron_bind_l2_agent_types)",
        )

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        """Two subnets and the ports on each of the tenant's (one or more) networks, kept
        until the sweep; counted for one network, the least the scenario runs with."""
        assert isinstance(config, CreateAndBindPorts.Config)
        return QuotaUse.of("neutron", keeps=True, subnets=2, ports=config.ports_per_network)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateAndBindPorts.Config)
        host = self._host(tuple(cfg.l2_agent_types))
        networks = self.tenant.networks
        if not networks:
            raise ConfigError(f"{self.name} needs networks", hint="add the `network` context")
        for network in networks:
            taken = self._cidrs_of(network.id)
            for version in (4, 6):
                self._create_subnet(network.id, cidr=_free_cidr(version, taken), ip_version=version)
            for _ in range(cfg.ports_per_network):
                self._bind(self._create_port(network.id), host)

    def _bind(self, port: Any, host: str) -> None:
        with self.action("neutron.update_port"):
            bound = self.admin_clients.network.update_port(
                port.id, device_owner=DEVICE_OWNER, device_id=DEVICE_ID, binding_host_id=host
            )
        vif = str(getattr(bound, "binding_vif_type", "") or "")
        if vif in UNBOUND:
            raise CloudError(f"neutron could not bind port {port.id} on host {host} ({vif})")

    def _host(self, types: tuple[str, ...]) -> str:
        """An agent's host, else a compute host that is up; looked up outside timing."""
        agents = self.context.get(NetworkingAgents)
        if agents is None:
            raise ConfigError(
                f"{self.name} needs neutron's agents", hint="add the `networking_agents` context"
            )
        host = agent_host(agents.agents, types)
        if host is None:
            with cloud_errors("nova.list_services"):
                computes = self.admin_clients.compute.services(binary="nova-compute")
                host = next(
                    (str(s.host) for s in computes if s.state == "up" and s.status == "enabled"),
                    None,
                )
        if host is None:
            raise CloudError(
                f"no live agent of type {', '.join(types)} and no compute host to bind ports on"
            )
        return host

    def _cidrs_of(self, network_id: str) -> list[str]:
        with cloud_errors("neutron.list_subnets"):
            return [str(s.cidr) for s in self.net.subnets(network_id=network_id)]


def _free_cidr(version: int, taken: list[str]) -> str:
    """The next CIDR of ``version`` from the shared counter that overlaps none of
    ``taken`` (the network's subnets, e.g. the ``network`` context's)."""
    used = [ipaddress.ip_network(c) for c in taken]
    while True:
        _, cidr = CIDRS.next(version)
        candidate = ipaddress.ip_network(cidr)
        if not any(candidate.version == u.version and candidate.overlaps(u) for u in used):
            return cidr
