"""The devcloud is a real OpenStack with devstack's defaults, reachable both ways."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from squall.devcloud import control, up
from squall.devcloud.config import IMAGE_NAME

pytestmark = [
    pytest.mark.integration,
    pytest.mark.devcloud,
    # openstacksdk's own deprecation noise, raised whatever the configuration
    pytest.mark.filterwarnings("ignore::Warning:openstack"),
]

SQUALL = Path(sys.executable).with_name("squall")


def test_clouds_yaml_entry_reaches_every_service(conn):
    types = {service.type for service in conn.identity.services()}
    assert {"identity", "compute", "network", "image", "block-storage", "placement"} <= types
    flavors = {flavor.name for flavor in conn.compute.flavors()}
    assert {"m1.nano", "m1.tiny", "m1.small", "m1.medium"} <= flavors
    assert conn.image.find_image(IMAGE_NAME) is not None
    public = conn.network.find_network("public")
    assert public is not None
    assert public.is_router_external
    assert conn.network.find_subnet("public-subnet") is not None
    hosts = {h.name for h in conn.compute.hypervisors() if h.state == "up"}
    assert len(hosts) >= 2
    assert {p.name for p in conn.identity.projects()} >= {"admin", "demo", "service"}


def _env_only(exports: str, home: Path) -> dict[str, str]:
    env = {"PATH": os.environ["PATH"], "HOME": str(home)}
    for line in exports.splitlines():
        if line.startswith("export "):
            key, _, value = line.removeprefix("export ").partition("=")
            env[key] = value.strip("'")
    return env


@pytest.mark.parametrize("user", ["admin", "demo"])
def test_os_env_exports_work_without_clouds_yaml(devcloud, tmp_path, user):
    env = _env_only(control.env_text(devcloud.config, user), tmp_path)
    assert "OS_CLOUD" not in env
    code = (
        "import openstack\n"
        "c = openstack.connect()\n"
        "print(c.current_project.name, len(list(c.compute.flavors())), "
        "len(list(c.network.networks())))\n"
    )
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    assert out[0] == user
    assert int(out[1]) >= 4
    assert int(out[2]) >= 1


def test_up_again_changes_nothing(devcloud):
    before = control.status(devcloud.config)
    started = time.monotonic()
    result = up(devcloud.config)
    assert not result.started
    assert time.monotonic() - started < 60
    after = control.status(devcloud.config)
    assert [(s.name, s.pid) for s in after] == [(s.name, s.pid) for s in before]


def test_status_command_lists_every_service(devcloud):
    out = subprocess.run(
        [str(SQUALL), "devcloud", "status", "--dir", str(devcloud.config.directory)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    for name in ("mariadb", "rabbitmq", "keystone", "nova-api", "nova-compute2", "cinder-volume"):
        assert any(line.split()[:2] == [name, "running"] for line in out.stdout.splitlines())


def test_servers_spread_by_anti_affinity_get_floating_ip_and_volume(conn):
    image = conn.image.find_image(IMAGE_NAME)
    flavor = conn.compute.find_flavor("m1.nano")
    private = conn.network.find_network("private")
    public = conn.network.find_network("public")
    group = conn.compute.create_server_group(name="squall-devcloud-aa", policy="anti-affinity")
    servers = []
    try:
        # One after the other: two boots into one anti-affinity group at once race in
        # nova (both claim a host before either is recorded there, the late check
        # sends both on to the other host, and with two hosts both run out of
        # alternates). Nova only spreads a concurrent pair in one multi-create request.
        for i in range(2):
            server = conn.compute.create_server(
                name=f"squall-devcloud-test-{i}",
                image_id=image.id,
                flavor_id=flavor.id,
                networks=[{"uuid": private.id}],
                scheduler_hints={"group": group.id},
            )
            servers.append(server)
            servers[i] = conn.compute.wait_for_server(server, interval=1, wait=180)
        assert len({s.compute_host for s in servers}) == 2
        port = next(iter(conn.network.ports(device_id=servers[0].id)))
        assert port.binding_vif_type == "ovs"
        fip = conn.network.create_ip(floating_network_id=public.id, port_id=port.id)
        assert fip.floating_ip_address.startswith("172.24.4.")
        conn.network.delete_ip(fip)
        volume = conn.block_storage.create_volume(size=1, name="squall-devcloud-test")
        conn.block_storage.wait_for_status(volume, "available", interval=1, wait=120)
        conn.compute.create_volume_attachment(servers[0], volume_id=volume.id)
        conn.block_storage.wait_for_status(volume, "in-use", interval=1, wait=120)
        conn.compute.delete_volume_attachment(servers[0], volume.id)
        conn.block_storage.wait_for_status(volume, "available", interval=1, wait=120)
        conn.block_storage.delete_volume(volume)
    finally:
        for server in servers:
            conn.compute.delete_server(server, ignore_missing=True)
        for server in servers:
            conn.compute.wait_for_delete(server, interval=1, wait=120)
        conn.compute.delete_server_group(group, ignore_missing=True)


def _wait_gone(find, what: str) -> None:
    deadline = time.monotonic() + 120
    while find() is not None:
        assert time.monotonic() < deadline, f"{what} still there after 120 s"
        time.sleep(1)


def test_volume_files_carry_the_image_through_backup_and_restore(conn, devcloud):
    """The file-backed volume driver and cinder-backup move real bytes, not just states."""
    storage = conn.block_storage
    expected = (devcloud.config.data / f"{IMAGE_NAME}.img").read_bytes()
    volumes = devcloud.config.data / "cinder" / "volumes"

    def content(volume_id: str) -> bytes:
        path = volumes / f"volume-{volume_id}"
        assert path.stat().st_size == 1024**3
        with path.open("rb") as f:
            return f.read(len(expected))

    image = conn.image.find_image(IMAGE_NAME)
    made: list[str] = []
    backup = None
    try:
        volume = storage.create_volume(size=1, image_id=image.id, name="squall-devcloud-test")
        made.append(volume.id)
        storage.wait_for_status(volume, "available", failures=["error"], interval=1, wait=120)
        assert content(volume.id) == expected
        backup = storage.create_backup(volume_id=volume.id, name="squall-devcloud-test")
        storage.wait_for_status(backup, "available", failures=["error"], interval=1, wait=120)
        restore = storage.restore_backup(backup, name="squall-devcloud-test-restored")
        made.append(restore.volume_id)
        restored = storage.get_volume(restore.volume_id)
        storage.wait_for_status(restored, "available", failures=["error"], interval=1, wait=120)
        assert content(restored.id) == expected
    finally:
        if backup is not None:
            storage.delete_backup(backup, ignore_missing=True)
            _wait_gone(lambda: storage.find_backup(backup.id), f"backup {backup.id}")
        for volume_id in made:
            storage.delete_volume(volume_id, ignore_missing=True)
        for volume_id in made:
            _wait_gone(lambda v=volume_id: storage.find_volume(v), f"volume {volume_id}")
            assert not (volumes / f"volume-{volume_id}").exists()
