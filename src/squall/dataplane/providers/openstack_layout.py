"""What the ``openstack`` provider will create, worked out before it creates anything (pure).

A topology is split between two *sides*: the server side (server networks, their
routers and servers) and the client side (client networks, client routers, clients).
Both sides live in one cloud unless the plan names two, which only ``full`` mode
allows: there clients reach servers by floating IP across the external network, as
they would between two clouds or regions. ``demand()`` counts what one side needs
from its project's quotas; ``shortfalls()`` compares that with limits and usage;
``placements()`` spreads instances over zones or hosts; ``packages()`` lists what
cloud-init installs for the plan's tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from squall.dataplane.plan import Plan
from squall.dataplane.topology import Topology

Side = Literal["server", "client"]
#: Debian/Ubuntu package each tool needs on the instances (the agent needs python3).
TOOL_PACKAGES = {
    "http": "nginx-light",
    "iperf3": "iperf3",
    "fio": "fio",
    "ping": "iputils-ping",
    "wrk": "wrk",
}
#: Quota names per service, as the APIs call them.
NOVA_QUOTAS = ("instances", "cores", "ram")
NEUTRON_QUOTAS = ("port", "network", "subnet", "router", "floatingip", "security_group")
CINDER_QUOTAS = ("volumes", "gigabytes")


def network_side(topology: Topology, network: str) -> Side:
    """Client side: a ``full``-mode network holding only clients; server side otherwise."""
    if topology.mode != "full":
        return "server"
    roles = {i.role for i in topology.instances.values() if i.network == network}
    return "client" if roles == {"client"} else "server"


def router_side(topology: Topology, router: str) -> Side:
    networks = topology.routers[router].networks
    return network_side(topology, networks[0]) if networks else "server"


def instance_side(topology: Topology, instance: str) -> Side:
    return network_side(topology, topology.instances[instance].network)


@dataclass(frozen=True)
class Flavor:
    vcpus: int
    ram: int  # MiB


@dataclass(frozen=True)
class Demand:
    """What one side of a topology takes from one project's quotas."""

    counts: dict[str, int]

    def __getitem__(self, key: str) -> int:
        return self.counts.get(key, 0)


def demand(
    topology: Topology,
    side: Side,
    flavor: Flavor,
    *,
    tenants: int,
    volume_size: int | None,
    both_sides: bool,
    proxy: bool = False,
) -> Demand:
    """Quota use of ``side`` (and of the other side too when ``both_sides``); the proxy
    instance, with its port and floating IP, is on the server side."""
    sides: set[Side] = {"server", "client"} if both_sides else {side}
    instances = [i for i in topology.instances.values() if instance_side(topology, i.name) in sides]
    networks = [n for n in topology.networks if network_side(topology, n) in sides]
    routers = [r for r in topology.routers if router_side(topology, r) in sides]
    interfaces = sum(len(topology.routers[r].networks) for r in routers)
    clients = [i for i in instances if i.role == "client"]
    floating = [i for i in instances if i.floating_ip is not None]
    volumes = len(clients) if volume_size else 0
    extra = 1 if proxy and "server" in sides else 0
    count = len(instances) + extra
    return Demand(
        {
            "instances": count,
            "cores": count * flavor.vcpus,
            "ram": count * flavor.ram,
            "port": count + interfaces,
            "network": len(networks),
            "subnet": len(networks),
            "router": len(routers),
            "floatingip": len(floating) + extra,
            "security_group": tenants,
            "volumes": volumes,
            "gigabytes": volumes * (volume_size or 0),
        }
    )


@dataclass(frozen=True)
class Shortfall:
    quota: str
    limit: int
    used: int
    needed: int

    def __str__(self) -> str:
        return (
            f"quota {self.quota}: the plan needs {self.needed}, "
            f"the limit is {self.limit} with {self.used} in use"
        )


def shortfalls(need: Demand, limits: dict[str, int], used: dict[str, int]) -> list[Shortfall]:
    """The quotas ``need`` would exceed (-1 or a missing limit is unlimited)."""
    found = []
    for quota, needed in need.counts.items():
        limit = limits.get(quota, -1)
        in_use = used.get(quota, 0)
        if needed and limit >= 0 and in_use + needed > limit:
            found.append(Shortfall(quota, limit, in_use, needed))
    return found


def placements(
    topology: Topology, spread: str, zones: list[str], hosts: list[str]
) -> dict[str, str | None]:
    """The ``availability_zone`` of each instance: round robin over ``zones`` (spread
    ``zones``) or over ``zone:host`` pairs (spread ``hosts``; ``hosts`` are already
    ``zone:host``); the first zone, if any, for all with spread ``none``. Instances go
    in topology order (a server, then its clients), so each client lands away from
    its server whenever there are two zones or hosts."""
    names = list(topology.instances)
    if spread == "hosts" and hosts:
        return {n: hosts[k % len(hosts)] for k, n in enumerate(names)}
    if spread == "zones" and zones:
        return {n: zones[k % len(zones)] for k, n in enumerate(names)}
    return dict.fromkeys(names, zones[0] if zones else None)


def packages(plan: Plan) -> tuple[str, ...]:
    """What cloud-init installs: python3 for the agent plus each test's tool."""
    if plan.openstack.packages is not None:
        return tuple(plan.openstack.packages)
    wanted = ["python3"]
    for test in plan.tests:
        tool = "wrk" if test.tool == "http" and test.args.get("driver") == "wrk" else test.tool
        for name in (test.tool, tool):
            package = TOOL_PACKAGES.get(name)
            if package is not None and package not in wanted:
                wanted.append(package)
    return tuple(wanted)


@dataclass(frozen=True)
class Rule:
    """One ingress rule of the run's security group."""

    protocol: str  # tcp | udp | icmp
    port_min: int | None = None
    port_max: int | None = None


def ingress_rules(plan: Plan, pairs: int, base_port: int = 5201) -> list[Rule]:
    """ICMP, SSH, HTTP, one iperf3 port per client and test (TCP and UDP), and the
    proxy's two ports."""
    rules = [Rule("icmp"), Rule("tcp", 22, 22), Rule("tcp", 80, 80)]
    if plan.openstack.proxy is not None:
        rules.append(Rule("tcp", plan.openstack.proxy.port, plan.openstack.proxy.port + 1))
    if any(t.tool == "iperf3" for t in plan.tests):
        last = base_port + max(1, pairs * len(plan.tests)) - 1
        rules += [Rule("tcp", base_port, last), Rule("udp", base_port, last)]
    if any(t.tool not in TOOL_PACKAGES for t in plan.tests):  # custom tests: any port
        rules += [Rule("tcp", 1, 65535), Rule("udp", 1, 65535)]
    return rules
