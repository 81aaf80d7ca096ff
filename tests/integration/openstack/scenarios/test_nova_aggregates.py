"""NovaAggregates.* on the devcloud: Rally's atomic names, nothing left behind.

``create_aggregate_add_host_and_boot_server`` runs alone: it puts a host into its
own availability zone, which nova refuses while another workload holds that host
in an aggregate of the zone ``nova``. Its aggregate's zone is the zone the server
boots in, so the scheduler can only pick the aggregate's host (the devcloud has
two computes and no AggregateInstanceExtraSpecsFilter).
"""

from __future__ import annotations

import pytest

from .conftest import Case, FamilyRun, check_case, run_family

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

ADMIN: dict[str, dict[str, int]] = {}  # no users context: the admin acts
ZONE = {"availability_zone": "nova"}

CASES = [
    Case("NovaAggregates.list_aggregates", {}, ("nova.list_aggregates",), contexts=ADMIN),
    Case(
        "NovaAggregates.create_and_list_aggregates",
        ZONE,
        ("nova.create_aggregate", "nova.list_aggregates"),
    ),
    Case(
        "NovaAggregates.create_and_delete_aggregate",
        ZONE,
        ("nova.create_aggregate", "nova.delete_aggregate"),
        contexts=ADMIN,
    ),
    Case(
        "NovaAggregates.create_and_update_aggregate",
        ZONE,
        ("nova.create_aggregate", "nova.update_aggregate"),
        contexts=ADMIN,
    ),
    Case(
        "NovaAggregates.create_aggregate_add_and_remove_host",
        ZONE,
        (
            "nova.create_aggregate",
            "nova.list_hypervisors",
            "nova.aggregate_add_host",
            "nova.aggregate_remove_host",
        ),
        contexts=ADMIN,
    ),
    Case(
        "NovaAggregates.create_and_get_aggregate_details",
        ZONE,
        ("nova.create_aggregate", "nova.get_aggregate_details"),
        contexts=ADMIN,
    ),
]

BOOT = Case(
    "NovaAggregates.create_aggregate_add_host_and_boot_server",
    {
        "image": {"regex": "^cirros"},
        "metadata": {"aggregate_instance_extra_specs:squall": "true"},
        "availability_zone": "squall-aggregates",
        "ram": 64,
        "vcpus": 1,
        "disk": 1,
        "boot_server_kwargs": {"availability_zone": "squall-aggregates"},
        "waits": {"nova_server_boot": {"prepoll": 0, "interval": 0.3}},
    },
    (
        "nova.create_aggregate",
        "nova.list_hypervisors",
        "nova.aggregate_set_metadata",
        "nova.aggregate_add_host",
        "nova.create_flavor",
        "nova.boot_server",
    ),
)


@pytest.fixture(scope="module")
def family(workdir) -> FamilyRun:
    return run_family(workdir, "nova-aggregates", CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scenario(family, case):
    check_case(family, case)


def test_nothing_left(family):
    assert "left in the cloud" not in family.out
    assert family.leftovers == []


def test_boot_on_an_aggregate_host_and_nothing_left(workdir):
    run = run_family(workdir, "nova-aggregate-boot", [BOOT])
    check_case(run, BOOT)
    assert "left in the cloud" not in run.out
    assert run.leftovers == []
