"""NovaKeypair, NovaFlavors, NovaServerGroups, NovaHypervisors, NovaServices and Quotas.

The devcloud's virt driver reports its host's uptime as libvirt's does, so
``list_and_get_uptime_hypervisors`` gets an answer from every compute.
"""

from __future__ import annotations

import pytest

from .conftest import Case, FamilyRun, check_case, run_family

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

FLAVOR = {"ram": 64, "vcpus": 1, "disk": 1}
BOOT = {
    "image": {"regex": "^cirros"},
    "flavor": {"name": "m1.nano"},
    "waits": {"nova_server_boot": {"prepoll": 0, "interval": 0.3}},
}
ADMIN: dict[str, dict[str, int]] = {}  # no users context: the admin acts
#: a tenant per concurrent iteration: nova answers 500 (ProjectQuotaNotFound) when one
#: iteration updates a project's quotas while another deletes them, a race of nova's
#: that squall reports as it is, not what these tests are about
OWN_TENANT = {"users": {"tenants": 2, "user_choice_method": "round_robin"}}

CASES = [
    Case("NovaKeypair.create_and_list_keypairs", {}, ("nova.create_keypair", "nova.list_keypairs")),
    Case(
        "NovaKeypair.create_and_delete_keypair", {}, ("nova.create_keypair", "nova.delete_keypair")
    ),
    Case("NovaKeypair.create_and_get_keypair", {}, ("nova.create_keypair", "nova.get_keypair")),
    Case(
        "NovaKeypair.boot_and_delete_server_with_keypair",
        BOOT,
        ("nova.create_keypair", "nova.boot_server", "nova.delete_server", "nova.delete_keypair"),
        times=1,
    ),
    Case("NovaFlavors.list_flavors", {}, ("nova.list_flavors",), contexts=ADMIN),
    Case("NovaFlavors.create_flavor", FLAVOR, ("nova.create_flavor",), contexts=ADMIN),
    Case(
        "NovaFlavors.create_and_get_flavor",
        FLAVOR,
        ("nova.create_flavor", "nova.get_flavor"),
        contexts=ADMIN,
    ),
    Case(
        "NovaFlavors.create_and_delete_flavor",
        FLAVOR,
        ("nova.create_flavor", "nova.delete_flavor"),
        contexts=ADMIN,
    ),
    Case(
        "NovaFlavors.create_and_list_flavor_access",
        FLAVOR,
        ("nova.create_flavor", "nova.list_flavor_access"),
        contexts=ADMIN,
    ),
    Case(
        "NovaFlavors.create_flavor_and_add_tenant_access",
        {**FLAVOR, "is_public": False},
        ("nova.create_flavor", "nova.add_tenant_access"),
    ),
    Case(
        "NovaFlavors.create_flavor_and_set_keys",
        {**FLAVOR, "extra_specs": {"quota:disk_read_bytes_sec": "10240"}},
        ("nova.create_flavor", "nova.set_flavor_keys"),
        contexts=ADMIN,
    ),
    Case(
        "NovaServerGroups.create_and_list_server_groups",
        {"policies": ["affinity"]},
        ("nova.create_server_group", "nova.list_server_groups"),
    ),
    Case(
        "NovaServerGroups.create_and_get_server_group",
        {"policies": ["anti-affinity"]},
        ("nova.create_server_group", "nova.get_server_group"),
    ),
    Case(
        "NovaServerGroups.create_and_delete_server_group",
        {"policies": ["affinity"]},
        ("nova.create_server_group", "nova.delete_server_group"),
    ),
    Case("NovaHypervisors.list_hypervisors", {}, ("nova.list_hypervisors",), contexts=ADMIN),
    Case(
        "NovaHypervisors.list_and_get_hypervisors",
        {},
        ("nova.list_hypervisors", "nova.get_hypervisor"),
        contexts=ADMIN,
    ),
    Case(
        "NovaHypervisors.statistics_hypervisors",
        {},
        ("nova.statistics_hypervisors",),
        contexts=ADMIN,
    ),
    Case(
        "NovaHypervisors.list_and_search_hypervisors",
        {},
        ("nova.list_hypervisors", "nova.search_hypervisors"),
        contexts=ADMIN,
    ),
    Case(
        "NovaHypervisors.list_and_get_uptime_hypervisors",
        {},
        ("nova.list_hypervisors", "nova.uptime_hypervisor"),
        contexts=ADMIN,
    ),
    Case("NovaServices.list_services", {}, ("nova.list_services",), contexts=ADMIN),
    Case("Quotas.nova_update", {"max_quota": 1024}, ("quotas.update_quotas",), contexts=OWN_TENANT),
    Case(
        "Quotas.nova_update_and_delete",
        {"max_quota": 1024},
        ("quotas.update_quotas", "quotas.delete_quotas"),
        contexts=OWN_TENANT,
    ),
    Case("Quotas.nova_get", {}, ("quotas.get_quotas",)),
    Case(
        "Quotas.cinder_update", {"max_quota": 1024}, ("quotas.update_quotas",), contexts=OWN_TENANT
    ),
    Case(
        "Quotas.cinder_update_and_delete",
        {"max_quota": 1024},
        ("quotas.update_quotas", "quotas.delete_quotas"),
        contexts=OWN_TENANT,
    ),
    Case("Quotas.cinder_get", {}, ("quotas.get_quotas",)),
    Case(
        "Quotas.neutron_update", {"max_quota": 1024}, ("quotas.update_quotas",), contexts=OWN_TENANT
    ),
]


@pytest.fixture(scope="module")
def family(workdir) -> FamilyRun:
    return run_family(workdir, "nova-api-quotas", CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scenario(family, case):
    check_case(family, case)


def test_nothing_left(family):
    assert "left in the cloud" not in family.out
    assert family.leftovers == []


def test_quotas_refuse_a_tenant_squall_did_not_create(workdir):
    case = Case("Quotas.nova_update", {}, contexts=ADMIN, times=1, fails_with="users")
    run = run_family(workdir, "quotas-admin", [case])
    check_case(run, case)
