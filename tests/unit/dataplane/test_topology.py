"""Network modes laid out as instances, networks, routers and pairs."""

from __future__ import annotations

import pytest

from squall.dataplane import topology
from squall.dataplane.plan import Plan


def _plan(mode: str, **scale: int) -> Plan:
    return Plan.model_validate(
        {"network_mode": mode, "scale": scale, "tests": [{"name": "t", "tool": "ping"}]}
    )


def test_single_network_puts_clients_beside_their_servers():
    topo = topology.build(_plan("single-network", servers_per_network=2, clients_per_server=2))
    assert len(topo.servers) == 2
    assert len(topo.clients) == 4
    assert len(topo.networks) == 1
    for pair in topo.pairs:
        client, server = topo.instances[pair.client], topo.instances[pair.server]
        assert client.network == server.network
        assert pair.target == server.address


def test_single_router_clients_on_their_own_network_through_the_router():
    topo = topology.build(_plan("single-router", networks_per_router=2, servers_per_network=2))
    assert len(topo.routers) == 1
    router = next(iter(topo.routers.values()))
    assert len(router.networks) == 3
    for pair in topo.pairs:
        client, server = topo.instances[pair.client], topo.instances[pair.server]
        assert client.network != server.network
        assert pair.target == server.address
        assert server.floating_ip is None


def test_full_mode_targets_floating_ips_across_two_routers():
    topo = topology.build(_plan("full", tenants=2, servers_per_network=3))
    assert len(topo.routers) == 4
    assert all(r.external_ip is not None for r in topo.routers.values())
    for pair in topo.pairs:
        server = topo.instances[pair.server]
        assert server.floating_ip is not None
        assert pair.target == server.floating_ip
        assert pair.target in topology.EXTERNAL
    fips = [s.floating_ip for s in topo.servers]
    externals = [r.external_ip for r in topo.routers.values()]
    assert len(set(fips + externals)) == len(fips) + len(externals)


def test_addresses_are_unique_and_inside_their_networks():
    topo = topology.build(
        _plan(
            "single-router",
            tenants=3,
            routers_per_tenant=2,
            networks_per_router=2,
            servers_per_network=5,
        )
    )
    addresses = [i.address for i in topo.instances.values()]
    assert len(set(addresses)) == len(addresses)
    for inst in topo.instances.values():
        assert inst.address in topo.networks[inst.network].cidr
    assert len({p.index for p in topo.pairs}) == len(topo.pairs)


def test_too_many_clients_on_one_network_is_refused_before_staging():
    with pytest.raises(topology.TopologyError, match="more than"):
        topology.build(_plan("single-router", networks_per_router=10, servers_per_network=20))


def test_more_servers_than_a_network_holds_is_refused():
    with pytest.raises(topology.TopologyError, match="servers_per_network"):
        topology.build(_plan("single-network", servers_per_network=500))


def test_two_hundred_instances_fit():
    topo = topology.build(_plan("single-router", networks_per_router=1, servers_per_network=100))
    assert len(topo.instances) == 200
