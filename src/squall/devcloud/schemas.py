"""The commands that create (or upgrade) every OpenStack database schema. Pure."""

from __future__ import annotations

from squall.devcloud import render
from squall.devcloud.config import DevcloudConfig

Step = tuple[list[str], tuple[int, ...]]
"""A command and the exit codes that count as success."""


def sync_chains(config: DevcloudConfig) -> dict[str, list[Step]]:
    """Schema creation, in three independent chains that run side by side."""
    etc, ok = config.etc, (0,)

    def manage(binary: str, *confs: str) -> list[str]:
        argv = [str(config.venv / "bin" / binary)]
        for conf in confs:
            argv += ["--config-file", str(etc / conf)]
        return argv

    keystone = manage("keystone-manage", "keystone/keystone.conf")
    nova = manage("nova-manage", "nova/nova.conf")
    owner = ["--keystone-user", "root", "--keystone-group", "root"]
    steps_keystone: list[Step] = [([*keystone, "db_sync"], ok)]
    for repo, command in (("fernet-keys", "fernet_setup"), ("credential-keys", "credential_setup")):
        if not (etc / "keystone" / repo).exists():  # set up once: re-running would fail
            steps_keystone.append(([*keystone, command, *owner], ok))
    url = config.auth_url
    bootstrap = ["bootstrap", "--bootstrap-password", config.password]
    bootstrap += ["--bootstrap-region-id", "RegionOne", "--bootstrap-admin-url", url]
    bootstrap += ["--bootstrap-internal-url", url, "--bootstrap-public-url", url]
    steps_keystone.append(([*keystone, *bootstrap], ok))
    cell0 = render.db_url(config, "nova_cell0")
    steps_nova: list[Step] = [
        ([*nova, "api_db", "sync"], ok),
        ([*nova, "cell_v2", "map_cell0", "--database_connection", cell0], ok),
        # exit 2: cell1 exists already (a re-run after down)
        ([*nova, "cell_v2", "create_cell", "--name", "cell1"], (0, 2)),
        ([*nova, "db", "sync"], ok),
    ]
    neutron = manage("neutron-db-manage", "neutron/neutron.conf", "neutron/ml2_conf.ini")
    steps_other: list[Step] = [
        ([*manage("placement-manage", "placement/placement.conf"), "db", "sync"], ok),
        ([*manage("glance-manage", "glance/glance-api.conf"), "db_sync"], ok),
        ([*neutron, "upgrade", "heads"], ok),
        ([*manage("cinder-manage", "cinder/cinder.conf"), "db", "sync"], ok),
    ]
    return {"keystone": steps_keystone, "nova": steps_nova, "other": steps_other}
