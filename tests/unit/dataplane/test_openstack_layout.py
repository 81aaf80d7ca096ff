"""What the openstack provider would create, counted before it creates anything."""

from __future__ import annotations

from typing import Any

import pytest

from squall.dataplane import topology
from squall.dataplane.plan import Plan, ProxyOptions
from squall.dataplane.providers import openstack_layout as layout


def _plan(mode: str, tests: list[dict[str, Any]] | None = None, **scale: int) -> Plan:
    return Plan.model_validate(
        {
            "provider": "openstack",
            "network_mode": mode,
            "scale": scale,
            "tests": tests or [{"name": "t", "tool": "ping"}],
        }
    )


def test_full_mode_puts_client_networks_and_routers_on_the_client_side():
    topo = topology.build(_plan("full", networks_per_router=2, clients_per_server=2))
    sides = {n: layout.network_side(topo, n) for n in topo.networks}
    assert sides == {"t0r0n0": "server", "t0r0n1": "server", "t0r0c": "client"}
    assert layout.router_side(topo, "t0r0") == "server"
    assert layout.router_side(topo, "t0r0c") == "client"
    assert {layout.instance_side(topo, c.name) for c in topo.clients} == {"client"}


@pytest.mark.parametrize("mode", ["single-network", "single-router"])
def test_without_floating_ips_everything_is_on_the_server_side(mode):
    topo = topology.build(_plan(mode, servers_per_network=2))
    assert {layout.instance_side(topo, i) for i in topo.instances} == {"server"}


def test_demand_counts_what_one_side_takes_from_its_project():
    plan = _plan("full", tenants=2, servers_per_network=3, clients_per_server=2)
    topo = topology.build(plan)
    flavor = layout.Flavor(vcpus=2, ram=512)
    server = layout.demand(topo, "server", flavor, tenants=2, volume_size=10, both_sides=False)
    # 2 tenants x 3 servers, each with a floating IP; one network and router per tenant
    assert server["instances"] == 6
    assert server["cores"] == 12
    assert server["ram"] == 3072
    assert server["floatingip"] == 6
    assert server["network"] == server["subnet"] == server["router"] == 2
    assert server["port"] == 6 + 2  # instances + router interfaces
    assert server["volumes"] == 0  # volumes go to clients
    client = layout.demand(topo, "client", flavor, tenants=2, volume_size=10, both_sides=False)
    assert client["instances"] == 12
    assert client["volumes"] == 12
    assert client["gigabytes"] == 120
    assert client["floatingip"] == 0
    both = layout.demand(topo, "server", flavor, tenants=1, volume_size=None, both_sides=True)
    assert both["instances"] == 18
    assert both["port"] == 18 + 4
    assert both["security_group"] == 1


def test_shortfalls_report_only_definite_ones():
    need = layout.Demand({"instances": 4, "cores": 8, "ram": 1024, "port": 6, "volumes": 0})
    limits = {"instances": 10, "cores": 8, "ram": -1, "port": 5, "volumes": 0}
    used = {"instances": 7, "cores": 0, "port": 0}
    found = {s.quota: s for s in layout.shortfalls(need, limits, used)}
    assert set(found) == {"instances", "port"}  # ram unlimited, no volume needed
    assert str(found["instances"]) == (
        "quota instances: the plan needs 4, the limit is 10 with 7 in use"
    )


def test_placement_alternates_hosts_so_clients_land_away_from_their_servers():
    topo = topology.build(_plan("single-network", servers_per_network=2))
    hosts = ["nova:h1", "nova:h2"]
    where = layout.placements(topo, "hosts", [], hosts)
    for pair in topo.pairs:
        assert where[pair.client] != where[pair.server]
    assert layout.placements(topo, "zones", ["az1", "az2"], [])["t0r0n0s0c0"] == "az2"
    assert set(layout.placements(topo, "none", ["az1"], []).values()) == {"az1"}
    assert set(layout.placements(topo, "none", [], hosts).values()) == {None}


def test_packages_follow_the_tests():
    plan = _plan(
        "single-network",
        tests=[
            {"name": "a", "tool": "http", "args": {"driver": "wrk"}},
            {"name": "b", "tool": "iperf3"},
            {"name": "c", "tool": "fio"},
        ],
    )
    assert layout.packages(plan) == ("python3", "nginx-light", "wrk", "iperf3", "fio")
    plan.openstack.packages = []
    assert layout.packages(plan) == ()


def test_ingress_rules_open_one_iperf3_port_per_client_and_test():
    plan = _plan(
        "single-network",
        tests=[{"name": "a", "tool": "iperf3"}, {"name": "b", "tool": "iperf3"}],
    )
    rules = layout.ingress_rules(plan, pairs=3)
    assert layout.Rule("tcp", 5201, 5206) in rules
    assert layout.Rule("udp", 5201, 5206) in rules
    assert layout.Rule("icmp") in rules
    custom = _plan("single-network", tests=[{"name": "x", "tool": "tcp_connect"}])
    assert layout.Rule("tcp", 1, 65535) in layout.ingress_rules(custom, pairs=1)


def test_a_proxy_takes_one_more_instance_port_and_floating_ip_and_opens_its_ports():
    plan = _plan("single-network")
    plan.openstack.proxy = ProxyOptions(port=7790)
    topo = topology.build(plan)
    flavor = layout.Flavor(vcpus=1, ram=64)
    with_proxy = layout.demand(
        topo, "server", flavor, tenants=1, volume_size=None, both_sides=True, proxy=True
    )
    assert (with_proxy["instances"], with_proxy["port"], with_proxy["floatingip"]) == (3, 4, 1)
    assert layout.Rule("tcp", 7790, 7791) in layout.ingress_rules(plan, pairs=1)


@pytest.mark.parametrize("mode", ["single-network", "single-router", "full"])
def test_the_openstack_sample_plan_loads_in_every_mode(mode):
    from pathlib import Path

    from squall.dataplane.loader import load_plan

    sample = Path(__file__).parents[3] / "samples" / "dataplane" / "openstack-smoke.yaml"
    plan = load_plan(sample, plan_args=f"{{mode: {mode}, volume_size: 2, proxy: 7790}}")
    assert (plan.provider, plan.network_mode) == ("openstack", mode)
    assert plan.openstack.volume is not None and plan.openstack.volume.size == 2
    assert plan.openstack.proxy is not None and plan.openstack.proxy.port == 7790
    assert topology.build(plan).pairs
