"""NovaServers with several servers, interfaces, volumes and consoles on the devcloud.

The devcloud's nova issues VNC console URLs (no proxy runs behind them), and its cinder
makes volumes from images, so servers boot from volumes and volume snapshots.
"""

from __future__ import annotations

import pytest

from .conftest import Case, FamilyRun, check_case, run_family

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

FAST = {"prepoll": 0, "interval": 0.3}
WAITS = {
    "nova_server_boot": FAST,
    "nova_server_delete": FAST,
    "cinder_volume_create": {**FAST, "timeout": 60},
    "cinder_volume_delete": FAST,
}
BOOT = {"image": {"regex": "^cirros"}, "flavor": {"name": "m1.nano"}, "waits": WAITS}

CASES = [
    Case(
        "NovaServers.boot_and_delete_multiple_servers",
        {**BOOT, "count": 2},
        ("nova.boot_servers", "nova.delete_servers"),
        times=1,
    ),
    Case(
        "NovaServers.boot_and_update_server",
        {**BOOT, "description": "updated by squall"},
        ("nova.boot_server", "nova.update_server"),
        times=1,
    ),
    Case(
        "NovaServers.boot_server_and_list_interfaces",
        BOOT,
        ("nova.boot_server", "nova.list_interfaces"),
        contexts={"users": {}, "network": {}},
        times=1,
    ),
    Case(
        "NovaServers.boot_server_and_attach_interface",
        {**BOOT, "subnet_cidr_start": "10.5.0.0/24"},
        ("neutron.create_subnet", "nova.boot_server", "nova.attach_interface"),
        contexts={"users": {}, "network": {}},
        times=1,
    ),
    Case(
        "NovaServers.boot_server_attach_volume_and_list_attachments",
        {**BOOT, "volume_size": 1, "volume_num": 2},
        ("cinder_v3.create_volume", "nova.attach_volume", "nova.list_attachments"),
        times=1,
    ),
    Case(
        "NovaServers.boot_server_attach_created_volume_and_extend",
        {**BOOT, "volume_size": 1, "new_volume_size": 2},
        ("nova.attach_volume", "cinder_v3.extend_volume", "nova.detach_volume"),
        times=1,
    ),
    Case(
        "NovaServers.boot_and_get_console_url",
        {**BOOT, "console_type": "novnc"},
        ("nova.boot_server", "nova.get_console_url_server"),
        times=1,
    ),
    Case(
        "NovaServers.boot_server_from_volume_and_resize",
        {**BOOT, "volume_size": 1, "to_flavor": {"name": "m1.micro"}},
        (
            "cinder_v3.create_volume",
            "nova.boot_server",
            "nova.resize",
            "nova.resize_confirm",
            "nova.delete_server",
        ),
        times=1,
    ),
    Case(
        "NovaServers.boot_server_from_volume_snapshot",
        {**BOOT, "volume_size": 1},
        ("cinder_v3.create_volume", "cinder_v3.create_snapshot", "nova.boot_server"),
        times=1,
    ),
    Case(
        "NovaAvailabilityZones.list_availability_zones",
        {},
        ("nova.list_availability_zones",),
        contexts={},
    ),
]


@pytest.fixture(scope="module")
def family(workdir) -> FamilyRun:
    return run_family(workdir, "nova-more", CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scenario(family, case):
    check_case(family, case)


def test_nothing_left(family):
    assert "left in the cloud" not in family.out
    assert family.leftovers == []
