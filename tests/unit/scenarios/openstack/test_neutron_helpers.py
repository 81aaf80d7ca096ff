"""Subnet CIDRs handed out as Rally's generate_cidr does (``_neutron.CidrCounter``)."""

import ipaddress
import itertools
from concurrent.futures import ThreadPoolExecutor

from squall.scenarios.openstack._neutron import CidrCounter


def test_default_v4_blocks_follow_each_other():
    counter = CidrCounter()
    assert counter.next() == (4, "10.2.0.0/24")
    assert counter.next() == (4, "10.2.1.0/24")
    assert counter.next(4) == (4, "10.2.2.0/24")


def test_start_cidr_sets_size_and_version():
    counter = CidrCounter()
    assert [counter.next(start_cidr="1.1.0.0/30")[1] for _ in range(3)] == [
        "1.1.0.0/30",
        "1.1.0.4/30",
        "1.1.0.8/30",
    ]
    version, cidr = counter.next(start_cidr="fd00::/64")
    assert version == 6
    assert ipaddress.ip_network(cidr).prefixlen == 64


def test_default_v6_and_v4_counters_are_separate():
    counter = CidrCounter()
    assert counter.next(6) == (6, "dead:beaf::/64")
    assert counter.next(6) == (6, "dead:beaf:0:1::/64")
    assert counter.next(4) == (4, "10.2.0.0/24")


def test_start_cidr_host_bits_are_ignored():
    assert CidrCounter().next(start_cidr="10.0.0.5/24") == (4, "10.0.0.0/24")


def test_concurrent_callers_never_share_a_block():
    counter = CidrCounter()
    with ThreadPoolExecutor(8) as pool:
        cidrs = list(pool.map(lambda _: counter.next(start_cidr="1.0.0.0/28")[1], range(400)))
    assert len(set(cidrs)) == 400
    networks = [ipaddress.ip_network(c) for c in cidrs]
    assert not any(a.overlaps(b) for a, b in itertools.pairwise(sorted(networks)))
