"""From a plan to the instances, networks, routers and client -> server pairs to stage (pure).

Network modes (CloudPunch's ``network_mode``):

- ``single-network`` (L2): each server network also holds its clients.
- ``single-router`` (L3 east-west): per tenant router, one client network beside the
  server networks; clients reach servers' fixed addresses through the router.
- ``full`` (north-south): servers behind their tenant routers with a floating IP each;
  clients on a network behind a separate client router; both routers on one external
  network; clients reach servers only by floating IP (double NAT, as in a cloud).

Addresses are the netns provider's plan (10.64.0.0/10 for tenant networks, 10.255.0.0/16
external); the OpenStack provider keeps the shape and takes Neutron's addresses.
Pairing is 1 server : ``clients_per_server`` clients, each client one target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from squall.dataplane.plan import Plan

SERVER_FIRST_HOST = 10
CLIENT_FIRST_HOST = 130
HOSTS_PER_ROLE = 120
EXTERNAL = IPv4Network("10.255.0.0/16")
TENANT_BASE = IPv4Address("10.64.0.0")
#: A Linux bridge takes at most 1023 ports.
BRIDGE_PORT_LIMIT = 1023


@dataclass(frozen=True)
class Network:
    name: str
    cidr: IPv4Network
    router: str | None
    tenant: int

    @property
    def gateway(self) -> IPv4Address:
        return self.cidr.network_address + 1

    def host(self, index: int) -> IPv4Address:
        return self.cidr.network_address + index


@dataclass(frozen=True)
class Router:
    name: str
    tenant: int
    networks: tuple[str, ...]
    external_ip: IPv4Address | None = None  # full mode: address on the external network


@dataclass(frozen=True)
class Instance:
    name: str
    role: str  # "server" | "client"
    tenant: int
    network: str
    address: IPv4Address
    floating_ip: IPv4Address | None = None


@dataclass(frozen=True)
class Pair:
    client: str
    server: str
    target: IPv4Address  # what the client connects to: fixed address or floating IP
    index: int  # 0.. over the whole topology (gives iperf3 server ports)


@dataclass
class Topology:
    mode: str
    networks: dict[str, Network] = field(default_factory=dict)
    routers: dict[str, Router] = field(default_factory=dict)
    instances: dict[str, Instance] = field(default_factory=dict)
    pairs: list[Pair] = field(default_factory=list)

    @property
    def servers(self) -> list[Instance]:
        return [i for i in self.instances.values() if i.role == "server"]

    @property
    def clients(self) -> list[Instance]:
        return [i for i in self.instances.values() if i.role == "client"]

    def ports_on(self, network: str) -> int:
        """Bridge ports the network needs: its instances plus router interfaces."""
        hosts = sum(1 for i in self.instances.values() if i.network == network)
        routers = sum(1 for r in self.routers.values() if network in r.networks)
        return hosts + routers


class TopologyError(ValueError):
    """The plan cannot be laid out (too many instances for a network, for instance)."""


def build(plan: Plan) -> Topology:
    scale = plan.scale
    if scale.servers_per_network > HOSTS_PER_ROLE:
        raise TopologyError(
            f"servers_per_network {scale.servers_per_network} is more than {HOSTS_PER_ROLE} "
            "per network; add networks_per_router instead"
        )
    topo = Topology(plan.network_mode)
    allocator = _Allocator()
    external_host = 2
    floating = 256
    for t in range(scale.tenants):
        for r in range(scale.routers_per_tenant):
            router = f"t{t}r{r}"
            server_nets = [
                allocator.network(f"t{t}r{r}n{n}", router, t)
                for n in range(scale.networks_per_router)
            ]
            if plan.network_mode == "single-network":
                client_net = None
            else:
                client_router = f"t{t}r{r}c" if plan.network_mode == "full" else router
                client_net = allocator.network(f"t{t}r{r}c", client_router, t)
            _add_networks(topo, server_nets, client_net)
            ext = None
            client_ext = None
            if plan.network_mode == "full":
                ext = EXTERNAL.network_address + external_host
                client_ext = EXTERNAL.network_address + external_host + 1
                external_host += 2
            topo.routers[router] = Router(
                router,
                t,
                tuple(n.name for n in server_nets)
                + ((client_net.name,) if client_net and plan.network_mode != "full" else ()),
                ext,
            )
            if plan.network_mode == "full" and client_net is not None:
                topo.routers[client_net.router or ""] = Router(
                    client_net.router or "", t, (client_net.name,), client_ext
                )
            for net in server_nets:
                floating = _add_instances(topo, plan, net, client_net or net, floating)
    _check_ports(topo)
    return topo


def _add_networks(topo: Topology, server_nets: list[Network], client_net: Network | None) -> None:
    for net in server_nets:
        topo.networks[net.name] = net
    if client_net is not None:
        topo.networks[client_net.name] = client_net


def _add_instances(
    topo: Topology, plan: Plan, server_net: Network, client_net: Network, floating: int
) -> int:
    scale = plan.scale
    for s in range(scale.servers_per_network):
        name = f"{server_net.name}s{s}"
        fip = None
        if plan.network_mode == "full":
            fip = EXTERNAL.network_address + floating
            floating += 1
        server = Instance(
            name,
            "server",
            server_net.tenant,
            server_net.name,
            server_net.host(SERVER_FIRST_HOST + s),
            fip,
        )
        topo.instances[name] = server
        for c in range(scale.clients_per_server):
            used = sum(
                1
                for i in topo.instances.values()
                if i.role == "client" and i.network == client_net.name
            )
            if used >= HOSTS_PER_ROLE:
                raise TopologyError(
                    f"network {client_net.name} would need more than {HOSTS_PER_ROLE} clients; "
                    "lower clients_per_server or servers_per_network"
                )
            cname = f"{server_net.name}s{s}c{c}"
            client = Instance(
                cname,
                "client",
                client_net.tenant,
                client_net.name,
                client_net.host(CLIENT_FIRST_HOST + used),
            )
            topo.instances[cname] = client
            target = fip if fip is not None else server.address
            topo.pairs.append(Pair(cname, name, target, len(topo.pairs)))
    return floating


class _Allocator:
    def __init__(self) -> None:
        self.next = 0

    def network(self, name: str, router: str | None, tenant: int) -> Network:
        base = TENANT_BASE + self.next * 256
        self.next += 1
        return Network(name, IPv4Network(f"{base}/24"), router, tenant)


def _check_ports(topo: Topology) -> None:
    for net in topo.networks:
        if topo.ports_on(net) > BRIDGE_PORT_LIMIT:
            raise TopologyError(
                f"network {net} needs {topo.ports_on(net)} bridge ports; "
                f"a Linux bridge takes at most {BRIDGE_PORT_LIMIT}"
            )
    if topo.mode == "full" and len(topo.routers) + len(topo.servers) + 2 > BRIDGE_PORT_LIMIT:
        raise TopologyError(
            f"the external network would need {len(topo.routers)} router ports; "
            f"a Linux bridge takes at most {BRIDGE_PORT_LIMIT}"
        )
