"""NovaServers lifecycle scenarios on the devcloud (nova's fake virt driver).

The devcloud's virt driver uploads a small disk for each snapshot (the image goes
``active``), and its cinder makes volumes from images, so ``snapshot_server`` and
``boot_server_from_volume*`` run for real.
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
    "nova_server_image_create": {"interval": 0.5, "timeout": 60},
    "nova_server_image_delete": FAST,
}
BOOT = {"image": {"regex": "^cirros"}, "flavor": {"name": "m1.nano"}, "waits": WAITS}
NET = {"users": {}, "network": {}}
BOUNCE = [
    {"hard_reboot": 1},
    {"soft_reboot": 1},
    {"stop_start": 1},
    {"rescue_unrescue": 1},
    {"pause_unpause": 1},
    {"suspend_resume": 1},
    {"lock_unlock": 1},
    {"shelve_unshelve": 1},
]

CASES = [
    Case(
        "NovaServers.boot_and_get_console_output",
        {**BOOT, "length": 2},
        ("nova.boot_server", "nova.get_console_output_server"),
        times=1,
    ),
    Case(
        "NovaServers.boot_lock_unlock_and_delete",
        BOOT,
        ("nova.boot_server", "nova.lock_server", "nova.unlock_server", "nova.delete_server"),
        times=1,
    ),
    Case(
        "NovaServers.suspend_and_resume_server",
        BOOT,
        ("nova.suspend_server", "nova.resume_server", "nova.delete_server"),
        times=1,
    ),
    Case(
        "NovaServers.pause_and_unpause_server",
        BOOT,
        ("nova.pause_server", "nova.unpause_server", "nova.delete_server"),
        times=1,
    ),
    Case(
        "NovaServers.boot_and_rebuild_server",
        {
            "from_image": {"regex": "^cirros"},
            "to_image": {"regex": "^cirros"},
            "flavor": {"name": "m1.nano"},
            "waits": WAITS,
        },
        ("nova.boot_server", "nova.rebuild_server", "nova.delete_server"),
        times=1,
    ),
    Case(
        "NovaServers.resize_server",
        {**BOOT, "to_flavor": {"name": "m1.micro"}},
        ("nova.boot_server", "nova.resize", "nova.resize_confirm", "nova.delete_server"),
        times=1,
    ),
    Case(
        "NovaServers.resize_shutoff_server",
        {**BOOT, "to_flavor": {"name": "m1.micro"}, "confirm": False},
        ("nova.stop_server", "nova.resize", "nova.resize_revert", "nova.delete_server"),
        times=1,
    ),
    Case(
        "NovaServers.shelve_and_unshelve_server",
        BOOT,
        ("nova.shelve_server", "nova.unshelve_server", "nova.delete_server"),
        times=1,
    ),
    Case(
        "NovaServers.boot_and_bounce_server",
        {**BOOT, "actions": BOUNCE},
        (
            "nova.reboot_server",
            "nova.soft_reboot_server",
            "nova.stop_and_start_server",
            "nova.stop_and_start_server > nova.stop_server",
            "nova.rescue_and_unrescue_server",
            "nova.pause_and_unpause_server",
            "nova.suspend_and_resume_server",
            "nova.lock_and_unlock_server",
            "nova.shelve_and_unshelve_server > nova.unshelve_server",
        ),
        times=1,
    ),
    Case(
        "NovaServers.boot_server_attach_created_volume_and_resize",
        {**BOOT, "to_flavor": {"name": "m1.micro"}, "volume_size": 1},
        (
            "cinder_v3.create_volume",
            "nova.attach_volume",
            "nova.resize",
            "nova.resize_confirm",
            "nova.detach_volume",
            "cinder_v3.delete_volume",
        ),
        times=1,
    ),
    Case(
        "NovaServers.boot_and_associate_floating_ip",
        BOOT,
        (
            "neutron.create_floating_ip",
            "nova.associate_floating_ip",
            "nova.associate_floating_ip > neutron.associate_floating_ip",
        ),
        contexts=NET,
        times=1,
    ),
    Case(
        "NovaServers.boot_server_associate_and_dissociate_floating_ip",
        BOOT,
        ("nova.associate_floating_ip", "nova.dissociate_floating_ip"),
        contexts=NET,
        times=1,
    ),
    Case(
        "NovaServers.snapshot_server",
        BOOT,
        ("nova.boot_server", "nova.snapshot_server", "nova.delete_server", "nova.delete_image"),
        times=1,
    ),
    Case(
        "NovaServers.boot_server_from_volume",
        {**BOOT, "volume_size": 1},
        ("cinder_v3.create_volume", "nova.boot_server"),
        times=1,
    ),
    Case(
        "NovaServers.boot_server_from_volume_and_delete",
        {**BOOT, "volume_size": 1},
        ("cinder_v3.create_volume", "nova.boot_server", "nova.delete_server"),
        times=1,
    ),
]


@pytest.fixture(scope="module")
def family(workdir) -> FamilyRun:
    return run_family(workdir, "nova-lifecycle", CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scenario(family, case):
    check_case(family, case)


def test_nothing_left(family):
    assert "left in the cloud" not in family.out
    assert family.leftovers == []
