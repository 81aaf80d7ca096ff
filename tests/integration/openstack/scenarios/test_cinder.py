"""CinderVolumes, CinderVolumeBackups and CinderVolumeTypes on the devcloud.

The devcloud's cinder keeps volumes as sparse files (squall's file-backed volume
driver), copies images in and out through cinder's own image code and backs volumes up
with cinder-backup's posix driver, so volumes from images, uploads to images and
backups run for real.
"""

from __future__ import annotations

import pytest

from .conftest import Case, FamilyRun, check_case, run_family

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

FAST = {"prepoll": 0, "interval": 0.3}
WAITS = {
    "cinder_volume_create": FAST,
    "cinder_volume_delete": FAST,
    "nova_server_boot": FAST,
    "nova_server_delete": FAST,
}
VOLUMES = {"users": {}, "volumes": {"size": 1}}
BOOT = {"image": {"regex": "^cirros"}, "flavor": {"name": "m1.nano"}, "waits": WAITS}
# cinder-backup reads (and hashes) the whole 1 GiB volume, one backup after another
BACKUP_WAITS = {**WAITS, "cinder_backup": {**FAST, "timeout": 300}}
ENCRYPTION = {"provider": "luks", "cipher": "aes-xts-plain64", "key_size": 256}
ADMIN: dict[str, dict[str, int]] = {}


def _types(prefix: str) -> dict[str, object]:
    """Two context volume types per workload: iterations 1 and 2 use one each."""
    return {"users": {}, "volume_types": [f"squall-test-{prefix}-{i}" for i in (1, 2)]}


CASES = [
    Case("CinderVolumes.create_volume", {"size": 1, "waits": WAITS}, ("cinder_v3.create_volume",)),
    Case(
        "CinderVolumes.create_and_delete_volume",
        {"size": {"min": 1, "max": 2}, "waits": WAITS},
        ("cinder_v3.create_volume", "cinder_v3.delete_volume"),
    ),
    Case(
        "CinderVolumes.create_and_list_volume",
        {"size": 1, "waits": WAITS},
        ("cinder_v3.create_volume", "cinder_v3.list_volumes"),
    ),
    Case(
        "CinderVolumes.create_and_get_volume",
        {"size": 1, "waits": WAITS},
        ("cinder_v3.create_volume", "cinder_v3.get_volume"),
    ),
    Case("CinderVolumes.list_volumes", {}, ("cinder_v3.list_volumes",)),
    Case("CinderVolumes.list_types", {}, ("cinder_v3.list_types",)),
    Case(
        "CinderVolumes.create_and_update_volume",
        {"size": 1, "update_volume_kwargs": {"update_name": True}, "waits": WAITS},
        ("cinder_v3.create_volume", "cinder_v3.update_volume"),
    ),
    Case(
        "CinderVolumes.create_and_extend_volume",
        {"size": 1, "new_size": 2, "waits": WAITS},
        ("cinder_v3.create_volume", "cinder_v3.extend_volume", "cinder_v3.delete_volume"),
    ),
    Case(
        "CinderVolumes.create_from_volume_and_delete_volume",
        {"size": 1, "waits": WAITS},
        ("cinder_v3.create_volume", "cinder_v3.delete_volume"),
        contexts=VOLUMES,
    ),
    Case(
        "CinderVolumes.create_and_delete_snapshot",
        {"waits": WAITS},
        ("cinder_v3.create_snapshot", "cinder_v3.delete_snapshot"),
        contexts=VOLUMES,
    ),
    Case(
        "CinderVolumes.create_and_list_snapshots",
        {"waits": WAITS},
        ("cinder_v3.create_snapshot", "cinder_v3.list_snapshots"),
        contexts=VOLUMES,
    ),
    Case(
        "CinderVolumes.create_volume_from_snapshot",
        {"waits": WAITS},
        (
            "cinder_v3.create_snapshot",
            "cinder_v3.create_volume",
            "cinder_v3.delete_volume",
            "cinder_v3.delete_snapshot",
        ),
        contexts=VOLUMES,
    ),
    Case(
        "CinderVolumes.create_volume_and_clone",
        {"size": 1, "nested_level": 2, "waits": WAITS},
        ("cinder_v3.create_volume", "cinder.clone_volume > cinder_v3.create_volume"),
    ),
    Case(
        "CinderVolumes.modify_volume_metadata",
        {"sets": 2, "set_size": 2, "deletes": 1, "delete_size": 2},
        ("cinder_v3.set_2_metadatas_2_times", "cinder_v3.delete_2_metadatas_1_times"),
        contexts=VOLUMES,
    ),
    Case(
        "CinderVolumes.create_and_attach_volume",
        {"size": 1, "image": {"regex": "^cirros"}, "flavor": {"name": "m1.nano"}, "waits": WAITS},
        ("nova.boot_server", "nova.attach_volume", "nova.detach_volume", "cinder_v3.delete_volume"),
        times=1,
    ),
    Case(
        "CinderVolumes.create_and_get_volume",
        {"size": 1, "image": {"regex": "^cirros"}, "waits": WAITS},
        ("cinder_v3.create_volume", "cinder_v3.get_volume"),
        times=1,
    ),
    Case(
        "CinderVolumes.create_and_accept_transfer",
        {"size": 1, "waits": WAITS},
        ("cinder_v3.create_volume", "cinder_v3.transfer_create", "cinder_v3.transfer_accept"),
    ),
    Case("CinderVolumes.list_transfers", {}, ("cinder_v3.list_transfers",)),
    Case(
        "CinderVolumes.create_volume_and_update_readonly_flag",
        {"size": 1, "read_only": True, "waits": WAITS},
        ("cinder_v3.create_volume", "cinder_v3.update_readonly_flag"),
    ),
    Case(
        "CinderVolumes.create_snapshot_and_attach_volume",
        {**BOOT, "size": 1},
        ("cinder_v3.create_snapshot", "nova.attach_volume", "cinder_v3.delete_snapshot"),
        times=1,
    ),
    Case(
        "CinderVolumes.create_nested_snapshots_and_attach_volume",
        {**BOOT, "size": 1, "nested_level": 2},
        ("cinder_v3.create_snapshot", "nova.attach_volume", "nova.detach_volume"),
        times=1,
    ),
    Case(
        "CinderVolumes.create_volume_backup",
        {"size": 1, "waits": BACKUP_WAITS},
        ("cinder_v3.create_backup", "cinder_v3.delete_volume", "cinder_v3.delete_backup"),
        times=1,
    ),
    Case(
        "CinderVolumes.create_and_restore_volume_backup",
        {"size": 1, "waits": BACKUP_WAITS},
        ("cinder_v3.create_backup", "cinder_v3.restore_backup", "cinder_v3.delete_backup"),
        times=1,
    ),
    Case(
        "CinderVolumes.create_and_list_volume_backups",
        {"size": 1, "waits": BACKUP_WAITS},
        ("cinder_v3.create_backup", "cinder_v3.list_backups", "cinder_v3.delete_backup"),
        times=1,
    ),
    Case(
        "CinderVolumeBackups.create_incremental_volume_backup",
        {"size": 1, "waits": BACKUP_WAITS},
        ("cinder_v3.create_backup", "cinder_v3.delete_backup", "cinder_v3.delete_volume"),
        times=1,
    ),
    Case(
        "CinderVolumes.create_and_upload_volume_to_image",
        {"size": 1, "waits": {**WAITS, "glance_image_create": {**FAST, "timeout": 120}}},
        ("cinder_v3.create_volume", "cinder_v3.upload_volume_to_image", "glance_v2.delete_image"),
        times=1,
    ),
    Case(
        "CinderVolumeTypes.create_and_list_encryption_type",
        ENCRYPTION,
        ("cinder_v3.create_encryption_type", "cinder_v3.list_encryption_type"),
        contexts=_types("list"),
    ),
    Case(
        "CinderVolumeTypes.create_and_delete_encryption_type",
        ENCRYPTION,
        ("cinder_v3.create_encryption_type", "cinder_v3.delete_encryption_type"),
        contexts=_types("delete"),
    ),
    Case(
        "CinderVolumeTypes.create_get_and_delete_encryption_type",
        ENCRYPTION,
        ("cinder_v3.get_encryption_type", "cinder_v3.delete_encryption_type"),
        contexts=_types("get"),
    ),
    Case(
        "CinderVolumeTypes.create_and_update_encryption_type",
        {"create_provider": "luks", "create_cipher": "aes-xts-plain64", "update_key_size": 512},
        ("cinder_v3.create_encryption_type", "cinder_v3.update_encryption_type"),
        contexts=_types("update"),
    ),
    Case(
        "CinderVolumeTypes.create_and_delete_volume_type",
        {},
        ("cinder_v3.create_volume_type", "cinder_v3.delete_volume_type"),
        contexts=ADMIN,
    ),
    Case(
        "CinderVolumeTypes.create_and_get_volume_type",
        {},
        ("cinder_v3.create_volume_type", "cinder_v3.get_volume_type"),
        contexts=ADMIN,
    ),
    Case(
        "CinderVolumeTypes.create_and_list_volume_types",
        {},
        ("cinder_v3.create_volume_type", "cinder_v3.list_types"),
        contexts=ADMIN,
    ),
    Case(
        "CinderVolumeTypes.create_and_update_volume_type",
        {"update_name": True, "update_description": "updated"},
        ("cinder_v3.create_volume_type", "cinder_v3.update_volume_type"),
        contexts=ADMIN,
    ),
    Case(
        "CinderVolumeTypes.create_and_set_volume_type_keys",
        {"volume_type_key": {"volume_backend_name": "file"}},
        ("cinder_v3.create_volume_type", "cinder_v3.set_volume_type_keys"),
        contexts=ADMIN,
    ),
    Case(
        "CinderVolumeTypes.create_volume_type_add_and_list_type_access",
        {},
        ("cinder_v3.add_type_access", "cinder_v3.list_type_access"),
    ),
    Case(
        "CinderVolumeTypes.create_volume_type_and_encryption_type",
        {"provider": "luks", "cipher": "aes-xts-plain64", "key_size": 256},
        ("cinder_v3.create_volume_type", "cinder_v3.create_encryption_type"),
        contexts=ADMIN,
    ),
]


@pytest.fixture(scope="module")
def family(workdir) -> FamilyRun:
    return run_family(workdir, "cinder", CASES)


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=lambda c: c.name + ("-from-image" if "flavor" not in c.args and "image" in c.args else ""),
)
def test_scenario(family, case):
    check_case(family, case)


def test_nothing_left(family):
    assert "left in the cloud" not in family.out
    assert family.leftovers == []
