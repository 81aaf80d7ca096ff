"""NeutronNetworks, NeutronSecurityGroup and NeutronTrunks on the devcloud.

The devcloud's neutron loads the ``trunk`` service plugin, served by the agentless
trunk driver of its ``squall_noop`` mechanism driver, so ``NeutronTrunks.*`` run for
real. Where neutron lacks the ``trunk`` extension, preflight skips them with the reason
and the run goes on with the other workloads (shown with a scenario needing an
extension the devcloud lacks).
``set_and_clear_router_gateway`` runs as the admin, as Rally's gate job does (it gives
its users the admin role), in a run of its own.
"""

from __future__ import annotations

import pytest

from squall.openstack.journal import ResourceKind
from squall.results.journal import StoreJournal
from squall.results.store import Store

from .conftest import Case, FamilyRun, check_case, run_family

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

NET = {"users": {}, "network": {}}
SUBNETS = {"subnet_cidr_start": "1.1.0.0/30", "subnets_per_network": 2}
ROUTER_TOPO = ("neutron.create_network", "neutron.create_router", "neutron.create_subnet")

CASES = [
    Case(
        "NeutronNetworks.create_and_list_networks",
        {"network_create_args": {}},
        ("neutron.create_network", "neutron.list_networks"),
    ),
    Case(
        "NeutronNetworks.create_and_show_network",
        {},
        ("neutron.create_network", "neutron.show_network"),
    ),
    Case(
        "NeutronNetworks.create_and_update_networks",
        {"network_update_args": {"admin_state_up": False, "name": True}},
        ("neutron.create_network", "neutron.update_network"),
    ),
    Case(
        "NeutronNetworks.create_and_delete_networks",
        {},
        ("neutron.create_network", "neutron.delete_network"),
    ),
    Case(
        "NeutronNetworks.create_and_list_subnets",
        SUBNETS,
        ("neutron.create_network", "neutron.create_subnet", "neutron.list_subnets"),
        contexts=NET,
    ),
    Case(
        "NeutronNetworks.create_and_update_subnets",
        {**SUBNETS, "subnet_update_args": {"enable_dhcp": False, "name": True}},
        ("neutron.create_subnet", "neutron.update_subnet"),
    ),
    Case(
        "NeutronNetworks.create_and_show_subnets",
        SUBNETS,
        ("neutron.create_subnet", "neutron.show_subnet"),
        contexts=NET,
    ),
    Case(
        "NeutronNetworks.create_and_delete_subnets",
        SUBNETS,
        ("neutron.create_subnet", "neutron.delete_subnet"),
        contexts=NET,
    ),
    Case(
        "NeutronNetworks.create_and_list_routers",
        SUBNETS,
        (
            *ROUTER_TOPO,
            "neutron.create_subnet > neutron.add_interface_router",
            "neutron.list_routers",
        ),
    ),
    Case("NeutronNetworks.create_and_show_routers", SUBNETS, (*ROUTER_TOPO, "neutron.show_router")),
    Case(
        "NeutronNetworks.create_and_update_routers",
        {**SUBNETS, "router_update_args": {"admin_state_up": False, "name": True}},
        (*ROUTER_TOPO, "neutron.update_router"),
    ),
    Case(
        "NeutronNetworks.create_and_delete_routers",
        SUBNETS,
        (*ROUTER_TOPO, "neutron.remove_interface_router", "neutron.delete_router"),
    ),
    Case(
        "NeutronNetworks.create_and_list_ports",
        {"ports_per_network": 2},
        ("neutron.create_port", "neutron.list_ports"),
        contexts=NET,
    ),
    Case(
        "NeutronNetworks.create_and_update_ports",
        {
            "ports_per_network": 2,
            "port_update_args": {
                "admin_state_up": False,
                "device_id": "dummy_id",
                "device_owner": "dummy_owner",
                "name": True,
            },
        },
        ("neutron.create_port", "neutron.update_port"),
        contexts=NET,
    ),
    Case(
        "NeutronNetworks.create_and_show_ports",
        {"ports_per_network": 2},
        ("neutron.create_port", "neutron.show_port"),
        contexts=NET,
    ),
    Case(
        "NeutronNetworks.create_and_delete_ports",
        {"ports_per_network": 2},
        ("neutron.create_network", "neutron.create_port", "neutron.delete_port"),
    ),
    Case(
        "NeutronNetworks.create_and_list_floating_ips",
        {"floating_network": "public"},
        ("neutron.create_floating_ip", "neutron.list_floating_ips"),
    ),
    Case(
        "NeutronNetworks.create_and_delete_floating_ips",
        {"floating_network": "public"},  # other workloads add external networks meanwhile
        ("neutron.create_floating_ip", "neutron.delete_floating_ip"),
    ),
    Case(
        "NeutronNetworks.associate_and_dissociate_floating_ips",
        {"floating_network": "public"},
        ("neutron.associate_floating_ip", "neutron.dissociate_floating_ip"),
    ),
    Case("NeutronNetworks.list_agents", {}, ("neutron.list_agents",), contexts={}),
    Case(
        "NeutronSecurityGroup.create_and_list_security_groups",
        {"security_group_create_args": {}},
        ("neutron.create_security_group", "neutron.list_security_groups"),
    ),
    Case(
        "NeutronSecurityGroup.create_and_show_security_group",
        {},
        ("neutron.create_security_group", "neutron.show_security_group"),
    ),
    Case(
        "NeutronSecurityGroup.create_and_delete_security_groups",
        {},
        ("neutron.create_security_group", "neutron.delete_security_group"),
    ),
    Case(
        "NeutronSecurityGroup.create_and_update_security_groups",
        {"security_group_update_args": {"description": "updated"}},
        ("neutron.create_security_group", "neutron.update_security_group"),
    ),
    Case(
        "NeutronSecurityGroup.create_and_list_security_group_rules",
        {"security_group_rules_count": 3},
        ("neutron.create_security_group_rule", "neutron.list_security_group_rules"),
    ),
    Case(
        "NeutronSecurityGroup.create_and_show_security_group_rule",
        {},
        ("neutron.create_security_group_rule", "neutron.show_security_group_rule"),
    ),
    Case(
        "NeutronSecurityGroup.create_and_delete_security_group_rule",
        {},
        ("neutron.delete_security_group_rule", "neutron.delete_security_group"),
    ),
    Case(
        "NeutronSubnets.delete_subnets",
        {},
        ("neutron.delete_subnet",),
        contexts={
            "users": {"users_per_tenant": 2, "user_choice_method": "round_robin"},
            "network": {"subnets_per_network": 2, "router": {"external": False}},
        },
    ),
    Case(
        "NeutronNetworks.create_and_bind_ports",
        {"ports_per_network": 2},
        ("neutron.create_subnet", "neutron.create_port", "neutron.update_port"),
        contexts={"users": {}, "network": {}, "networking_agents": {}},
    ),
]

TRUNK_BOOT = {
    "image": {"regex": "^cirros"},
    "flavor": {"name": "m1.nano"},
    "waits": {"nova_server_boot": {"prepoll": 0, "interval": 0.3}},
}
TRUNK_CASES = [
    Case(
        "NeutronTrunks.create_and_list_trunks",
        {"subport_count": 2},
        ("neutron.create_trunk", "neutron.list_trunks", "neutron.list_subports_by_trunk"),
        times=1,
    ),
    Case(
        "NeutronTrunks.boot_server_with_subports",
        {**TRUNK_BOOT, "subport_count": 2},
        ("neutron.create_port", "neutron.create_trunk", "nova.boot_server"),
        times=1,
    ),
    Case(
        "NeutronTrunks.boot_server_and_add_subports",
        {**TRUNK_BOOT, "subport_count": 2},
        ("neutron.create_trunk", "nova.boot_server", "neutron._add_subports_to_trunk"),
        times=1,
    ),
    Case(
        "NeutronTrunks.boot_server_and_batch_add_subports",
        {**TRUNK_BOOT, "subports_per_batch": 2, "batches": 2},
        ("neutron.create_trunk", "nova.boot_server", "neutron._add_subports_to_trunk"),
        times=1,
    ),
]


# an external network of its own: a network context running meanwhile could put its
# router's gateway there, so it runs alone
GATEWAY = [
    Case(
        "NeutronNetworks.set_and_clear_router_gateway",
        {"network_create_args": {"router:external": True}, "router_create_args": {}},
        ("neutron.add_gateway_router", "neutron.remove_gateway_router"),
        contexts={},
    ),
]


@pytest.fixture(scope="module")
def family(workdir, conn) -> FamilyRun:
    return run_family(workdir, "neutron", CASES + TRUNK_CASES if _has_trunks(conn) else CASES)


def _has_trunks(conn) -> bool:
    return conn.network.find_extension("trunk", ignore_missing=True) is not None


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scenario(family, case):
    check_case(family, case)


@pytest.mark.parametrize("case", TRUNK_CASES, ids=lambda c: c.name)
def test_trunk_scenario(family, case, conn):
    if not _has_trunks(conn):
        pytest.skip("this neutron has no trunk service plugin")
    check_case(family, case)


ABSENT_EXTENSION_PLUGIN = """
from typing import ClassVar

from squall.scenarios.openstack.neutron_trunks import CreateAndListTrunks


class NeedsAnAbsentExtension(CreateAndListTrunks):
    \"\"\"create_and_list_trunks, needing an extension no neutron offers.\"\"\"

    name: ClassVar[str] = "SquallTest.create_and_list_trunks"
    extensions: ClassVar[tuple[str, ...]] = ("trunk", "squall-test-absent")
"""


def test_a_workload_needing_an_extension_neutron_lacks_is_skipped_with_the_reason(workdir):
    """What a cloud without ``trunk`` does to NeutronTrunks.* (the same preflight check),
    shown on the devcloud, which has trunks, with a scenario needing one it lacks."""
    plugins = workdir / "absent-extension-plugin"
    plugins.mkdir()
    (plugins / "needs_absent.py").write_text(ABSENT_EXTENSION_PLUGIN)
    absent = Case("SquallTest.create_and_list_trunks", {"subport_count": 1}, times=1)
    run = run_family(
        workdir, "neutron-absent-extension", [CASES[0], absent], 600, "--plugin-path", str(plugins)
    )
    assert (
        "skipped [0.1]: SquallTest.create_and_list_trunks needs the neutron extension "
        "squall-test-absent" in run.out
    ), run.out[-3000:]
    check_case(run, CASES[0])
    assert run.leftovers == []


def test_nothing_left(family):
    assert "left in the cloud" not in family.out
    assert family.leftovers == []


@pytest.mark.parametrize("case", GATEWAY, ids=lambda c: c.name)
def test_router_gateway(workdir, case):
    run = run_family(workdir, "neutron-gateway", [case])
    check_case(run, case)
    assert "left in the cloud" not in run.out
    assert run.leftovers == []


def test_scenario_subnets_are_journaled_with_their_network(family, workdir):
    """So a sweep or cleanup lets them go with their network, one call fewer each."""
    store = Store.open(f"sqlite:///{workdir / 'squall.db'}")
    try:
        rows = StoreJournal(store).entries(family.run_id, live_only=False)
    finally:
        store.close()
    networks = {e.resource_id for e in rows if e.kind is ResourceKind.NETWORK}
    subnets = [e for e in rows if e.kind is ResourceKind.SUBNET]
    assert subnets and all(e.parent_id in networks for e in subnets), subnets
