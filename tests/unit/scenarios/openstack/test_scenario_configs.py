"""Scenario argument models: Rally's names, defaults and checks, without a cloud."""

import pytest
from pydantic import ValidationError

from squall.scenarios.openstack.neutron_trunks import subports
from squall.scenarios.openstack.nova_servers_lifecycle import (
    BootAndBounceServer,
    BootAndRebuildServer,
    FloatingArgs,
    ResizeServer,
)
from squall.scenarios.openstack.quotas import QUOTA_KEYS, random_quotas

BOOT = {"image": {"name": "cirros"}, "flavor": {"name": "m1.tiny"}}


def test_rebuild_boots_from_from_image():
    cfg = BootAndRebuildServer.Config.model_validate(
        {"from_image": {"name": "a"}, "to_image": {"regex": "^b"}, "flavor": {"name": "f"}}
    )
    assert cfg.image == cfg.from_image
    assert cfg.to_image.regex == "^b"


def test_resize_needs_to_flavor_and_confirms_by_default():
    with pytest.raises(ValidationError):
        ResizeServer.Config.model_validate(BOOT)
    cfg = ResizeServer.Config.model_validate({**BOOT, "to_flavor": "m1.small"})
    assert cfg.confirm is True
    assert cfg.to_flavor.name == "m1.small"


@pytest.mark.parametrize(
    "actions",
    [[{"explode": 1}], [{"hard_reboot": 0}], [{"hard_reboot": 1, "soft_reboot": 1}]],
)
def test_bounce_rejects_bad_actions(actions):
    with pytest.raises(ValidationError):
        BootAndBounceServer.Config.model_validate({**BOOT, "actions": actions})


def test_bounce_accepts_rallys_actions():
    actions = [{"hard_reboot": 2}, {"stop_start": 1}, {"shelve_unshelve": 1}]
    cfg = BootAndBounceServer.Config.model_validate({**BOOT, "actions": actions})
    assert cfg.actions == actions


def test_unknown_boot_arguments_are_rejected():
    with pytest.raises(ValidationError):
        ResizeServer.Config.model_validate({**BOOT, "to_flavor": "x", "flavour": "typo"})


@pytest.mark.parametrize(
    ("args", "network"),
    [
        ({}, None),
        ({"floating_network": "public"}, "public"),
        ({"create_floating_ip_args": {"ext_network": "ext"}}, "ext"),
        ({"create_floating_ip_args": {"floating_network": "old"}}, "old"),
        ({"floating_network": "new", "create_floating_ip_args": {"ext_network": "ext"}}, "new"),
    ],
)
def test_floating_network_and_its_older_spellings(args, network):
    assert FloatingArgs.model_validate({**BOOT, **args}).network() == network


def test_subport_payload_counts_vlans_from_the_first_segment():
    class Port:
        def __init__(self, id):
            self.id = id

    payload = subports([Port("a"), Port("b")], first_segment=5)
    assert payload == [
        {"port_id": "a", "segmentation_type": "vlan", "segmentation_id": 5},
        {"port_id": "b", "segmentation_type": "vlan", "segmentation_id": 6},
    ]


@pytest.mark.parametrize("component", sorted(QUOTA_KEYS))
def test_random_quotas_cover_rallys_keys_within_range(component):
    values = random_quotas(component, 5)
    assert set(values) == set(QUOTA_KEYS[component])
    assert all(-1 <= v <= 5 for v in values.values())


def test_ports_bind_to_the_last_live_enabled_agent_of_an_l2_type():
    from squall.openstack.tenants import NetworkingAgent
    from squall.scenarios.openstack.neutron_bind_ports import L2_AGENT_TYPES, agent_host

    agents = [
        NetworkingAgent("net1", "Open vSwitch agent", alive=True, admin_state_up=True),
        NetworkingAgent("net2", "Open vSwitch agent", alive=False, admin_state_up=True),
        NetworkingAgent("net3", "DHCP agent", alive=True, admin_state_up=True),
        NetworkingAgent("net4", "Linux bridge agent", alive=True, admin_state_up=False),
    ]
    assert agent_host(agents, L2_AGENT_TYPES) == "net1"
    assert agent_host(agents[1:], L2_AGENT_TYPES) is None
    assert agent_host([], L2_AGENT_TYPES) is None


def test_bind_ports_subnets_avoid_the_networks_cidrs():
    import ipaddress

    from squall.scenarios.openstack.neutron_bind_ports import _free_cidr

    taken = [_free_cidr(4, []), "10.2.0.0/16"]
    cidr = ipaddress.ip_network(_free_cidr(4, taken))
    assert not any(cidr.overlaps(ipaddress.ip_network(t)) for t in taken)
    assert ipaddress.ip_network(_free_cidr(6, taken)).version == 6
