"""CinderQos.* on the devcloud: Rally's atomic names, nothing left behind."""

from __future__ import annotations

import pytest

from .conftest import Case, FamilyRun, check_case, run_family

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

SPECS = {"consumer": "both", "write_iops_sec": "10", "read_iops_sec": "1000"}

CASES = [
    Case("CinderQos.create_and_list_qos", SPECS, ("cinder_v3.create_qos", "cinder_v3.list_qos")),
    Case("CinderQos.create_and_get_qos", SPECS, ("cinder_v3.create_qos", "cinder_v3.get_qos")),
    Case(
        "CinderQos.create_and_set_qos",
        {
            **SPECS,
            "consumer": "back-end",
            "set_consumer": "both",
            "set_write_iops_sec": "11",
            "set_read_iops_sec": 1001,
        },
        ("cinder_v3.create_qos", "cinder_v3.set_qos"),
    ),
    Case(
        "CinderQos.create_qos_associate_and_disassociate_type",
        SPECS,
        (
            "cinder_v3.create_qos",
            "cinder_v3.qos_associate_type",
            "cinder_v3.qos_disassociate_type",
        ),
        contexts={"users": {}, "volume_types": ["squall-qos-type1", "squall-qos-type2"]},
    ),
]


@pytest.fixture(scope="module")
def family(workdir) -> FamilyRun:
    return run_family(workdir, "cinder-qos", CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scenario(family, case):
    check_case(family, case)


def test_nothing_left(family):
    assert "left in the cloud" not in family.out
    assert family.leftovers == []
