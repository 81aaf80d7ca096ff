"""Configuration files of every devcloud service, as text. Pure: no I/O.

Each function returns what one file must contain; ``files(config)`` maps every path
under the devcloud directory to its content so ``up`` writes them in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from squall.devcloud.config import CLOUD_NAME, HOST, REGION, DevcloudConfig

Sections = Mapping[str, Mapping[str, str | int | bool]]

DATABASES = (
    "keystone",
    "glance",
    "placement",
    "nova_api",
    "nova",
    "nova_cell0",
    "neutron",
    "cinder",
)
DB_USER = "os"
DRIVERS = "squall_devcloud_drivers"
"""The package of the devcloud's own drivers (``src/squall/devcloud/drivers/``)."""
VOLUME_HOST = "devcloud-volume1"
VOLUME_BACKEND = "file"
"""cinder's host and its one backend (also its pool): volumes live on ``host@backend#pool``."""
NOVNC_PORT = 6080
"""Only named in console URLs: no noVNC proxy runs (nothing listens there)."""


def ini(sections: Sections) -> str:
    """Render ``{section: {key: value}}`` as an oslo.config/INI file."""
    blocks = []
    for section, options in sections.items():
        lines = [f"[{section}]"]
        for key, value in options.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            lines.append(f"{key} = {text}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def db_url(config: DevcloudConfig, database: str) -> str:
    return f"mysql+pymysql://{DB_USER}:{config.password}@{HOST}:{config.ports.mariadb}/{database}"


def rabbit_url(config: DevcloudConfig) -> str:
    return f"rabbit://guest:guest@{HOST}:{config.ports.rabbitmq}/"


def service_auth(config: DevcloudConfig, user: str) -> dict[str, str]:
    """keystoneauth password options for a service user of project ``service``."""
    return {
        "auth_url": config.auth_url,
        "auth_type": "password",
        "project_domain_name": "Default",
        "user_domain_name": "Default",
        "project_name": "service",
        "username": user,
        "password": config.password,
        "region_name": REGION,
    }


def authtoken(config: DevcloudConfig, user: str) -> dict[str, str]:
    return {"www_authenticate_uri": config.auth_url, **service_auth(config, user)}


def _log(config: DevcloudConfig, name: str) -> dict[str, str]:
    return {"log_file": str(config.logs / f"{name}.log")}


def mariadb_cnf(config: DevcloudConfig) -> str:
    return ini(
        {
            "mysqld": {
                # root: the devcloud directory may sit under a home the mysql user cannot enter
                "user": "root",
                "bind-address": HOST,
                "port": config.ports.mariadb,
                "socket": str(config.mysql_socket),
                "datadir": str(config.data / "mysql"),
                "pid-file": str(config.run / "mysqld.pid"),
                "log-error": str(config.logs / "mariadb.log"),
                "max_connections": 1000,
                "innodb_buffer_pool_size": "128M",
                "innodb_flush_log_at_trx_commit": 2,
                "innodb_doublewrite": 0,
                "skip-name-resolve": 1,
                "character-set-server": "utf8mb4",
                "collation-server": "utf8mb4_general_ci",
            },
            "client": {"socket": str(config.mysql_socket), "user": "root"},
        }
    )


def rabbitmq_conf(config: DevcloudConfig) -> str:
    """rabbitmq.conf (new style): loopback only; guest is allowed on loopback."""
    return (
        f"listeners.tcp.1 = {HOST}:{config.ports.rabbitmq}\n"
        "loopback_users.guest = true\n"
        "management.tcp.port = 0\n"
    )


def keystone_conf(config: DevcloudConfig) -> str:
    keys = config.etc / "keystone"
    return ini(
        {
            "DEFAULT": _log(config, "keystone"),
            "database": {"connection": db_url(config, "keystone")},
            # every password check pays the bcrypt cost: the cheapest one keeps CI fast
            "identity": {"password_hash_rounds": 4},
            "token": {"provider": "fernet"},
            "fernet_tokens": {"key_repository": str(keys / "fernet-keys")},
            "fernet_receipts": {"key_repository": str(keys / "fernet-keys")},
            "credential": {"key_repository": str(keys / "credential-keys")},
        }
    )


def placement_conf(config: DevcloudConfig) -> str:
    return ini(
        {
            "DEFAULT": _log(config, "placement"),
            "api": {"auth_strategy": "keystone"},
            "placement_database": {"connection": db_url(config, "placement")},
            "keystone_authtoken": authtoken(config, "placement"),
        }
    )


def glance_conf(config: DevcloudConfig) -> str:
    return ini(
        {
            "DEFAULT": {**_log(config, "glance"), "enabled_backends": "fs:file"},
            "glance_store": {"default_backend": "fs"},
            "fs": {"filesystem_store_datadir": str(config.data / "images")},
            "os_glance_staging_store": {
                "filesystem_store_datadir": str(config.data / "glance-staging")
            },
            "os_glance_tasks_store": {
                "filesystem_store_datadir": str(config.data / "glance-tasks")
            },
            "database": {"connection": db_url(config, "glance")},
            "paste_deploy": {
                "flavor": "keystone",
                "config_file": str(config.etc / "glance" / "glance-api-paste.ini"),
            },
            "keystone_authtoken": authtoken(config, "glance"),
        }
    )


def neutron_conf(config: DevcloudConfig) -> str:
    unlimited = {
        f"quota_{name}": -1
        for name in (
            "network",
            "subnet",
            "port",
            "router",
            "floatingip",
            "security_group",
            "security_group_rule",
        )
    }
    return ini(
        {
            "DEFAULT": {
                **_log(config, "neutron"),
                "bind_host": HOST,
                "core_plugin": "ml2",
                # trunks are served by squall_noop's agentless trunk driver
                "service_plugins": "router,trunk",
                "auth_strategy": "keystone",
                "transport_url": rabbit_url(config),
                "api_paste_config": str(config.etc / "neutron" / "api-paste.ini"),
                "notify_nova_on_port_status_changes": True,
                "notify_nova_on_port_data_changes": True,
            },
            "database": {"connection": db_url(config, "neutron")},
            "quotas": unlimited,
            "oslo_concurrency": {"lock_path": str(config.data / "locks")},
            "keystone_authtoken": authtoken(config, "neutron"),
            "nova": service_auth(config, "nova"),
        }
    )


def ml2_conf() -> str:
    return ini(
        {
            "ml2": {
                "type_drivers": "flat,vlan,vxlan",
                "tenant_network_types": "vxlan",
                "mechanism_drivers": "squall_noop",
                "extension_drivers": "port_security",
            },
            "ml2_type_flat": {"flat_networks": "public"},
            "ml2_type_vlan": {"network_vlan_ranges": "physnet1:100:199"},
            "ml2_type_vxlan": {"vni_ranges": "1:10000"},
        }
    )


def nova_conf(config: DevcloudConfig) -> str:
    limits = ("instances", "cores", "ram", "key_pairs", "server_groups", "server_group_members")
    unlimited = dict.fromkeys((*limits, "metadata_items"), -1)
    return ini(
        {
            "DEFAULT": {
                "transport_url": rabbit_url(config),
                "my_ip": HOST,
                "host": "devcloud-controller",
                "state_path": str(config.data / "nova"),
                # fake.FakeDriverWithoutFakeNodes (a node identity file in state_path, so a
                # compute restarted on the same database is recognised: one state_path per
                # compute, see nova_compute_conf) that uploads snapshots and reports uptime
                "compute_driver": "squall_devcloud.SquallFakeDriver",
                "vif_plugging_is_fatal": False,
                "vif_plugging_timeout": 0,
                "osapi_compute_listen": HOST,
                "metadata_listen": HOST,
            },
            "api": {"auth_strategy": "keystone"},
            "wsgi": {"api_paste_config": str(config.etc / "nova" / "api-paste.ini")},
            "api_database": {"connection": db_url(config, "nova_api")},
            "database": {"connection": db_url(config, "nova")},
            "scheduler": {"discover_hosts_in_cells_interval": 10, "workers": 1},
            "conductor": {"workers": 1},
            "quota": unlimited,
            "oslo_concurrency": {"lock_path": str(config.data / "locks")},
            "oslo_messaging_notifications": {"driver": "noop"},
            # consoles are only issued (the fake driver has none): no proxy runs
            "vnc": {
                "enabled": True,
                "server_listen": HOST,
                "server_proxyclient_address": HOST,
                "novncproxy_base_url": f"http://{HOST}:{NOVNC_PORT}/vnc_auto.html",
            },
            "glance": {"region_name": REGION},
            "keystone_authtoken": authtoken(config, "nova"),
            "service_user": {"send_service_user_token": True, **service_auth(config, "nova")},
            "placement": service_auth(config, "placement"),
            "neutron": service_auth(config, "neutron"),
            "cinder": {
                **{k: v for k, v in service_auth(config, "cinder").items() if k != "region_name"},
                "os_region_name": REGION,
            },
        }
    )


def nova_compute_conf(config: DevcloudConfig, host: str) -> str:
    """Per-compute overrides: two fake computes on one machine need their own name and state."""
    return ini(
        {
            "DEFAULT": {
                "host": host,
                "state_path": str(config.data / "nova" / host),
                "log_file": str(config.logs / f"nova-{host.removeprefix('devcloud-')}.log"),
            }
        }
    )


def cinder_conf(config: DevcloudConfig) -> str:
    return ini(
        {
            "DEFAULT": {
                "transport_url": rabbit_url(config),
                "auth_strategy": "keystone",
                "my_ip": HOST,
                "host": VOLUME_HOST,
                "state_path": str(config.data / "cinder"),
                "api_paste_config": str(config.etc / "cinder" / "api-paste.ini"),
                "enabled_backends": VOLUME_BACKEND,
                "default_volume_type": "__DEFAULT__",
                "backup_driver": "cinder.backup.drivers.posix.PosixBackupDriver",
                "backup_posix_path": str(config.data / "cinder-backups"),
                # zstd: ~8x faster than zlib on the mostly empty volumes here; 128 MiB
                # objects keep cinder-backup's memory small (the default is ~2 GB)
                "backup_compression_algorithm": "zstd",
                "backup_file_size": 128 * 1024 * 1024,
                "quota_volumes": -1,
                "quota_snapshots": -1,
                "quota_gigabytes": -1,
                "quota_backups": -1,
                "quota_backup_gigabytes": -1,
            },
            VOLUME_BACKEND: {
                "volume_driver": f"{DRIVERS}.volume.FileVolumeDriver",
                "volume_backend_name": VOLUME_BACKEND,
                "file_volume_directory": str(config.data / "cinder" / "volumes"),
            },
            # we run as root: privsep's daemons start without sudo and rootwrap
            "cinder_sys_admin": {"helper_command": privsep_helper(config)},
            "privsep_osbrick": {"helper_command": privsep_helper(config)},
            "database": {"connection": db_url(config, "cinder")},
            "oslo_concurrency": {"lock_path": str(config.data / "locks")},
            "keystone_authtoken": {
                "service_token_roles_required": True,
                **authtoken(config, "cinder"),
            },
            "service_user": {"send_service_user_token": True, **service_auth(config, "cinder")},
            "nova": service_auth(config, "nova"),
        }
    )


def privsep_helper(config: DevcloudConfig) -> str:
    """The command cinder's privsep contexts start their daemon with (no sudo)."""
    conf = config.etc / "cinder" / "cinder.conf"
    return f"{config.venv / 'bin' / 'privsep-helper'} --config-file {conf}"


WSGI_APPS = {
    # name: (import path of the WSGI callable, config dir env, config files)
    "keystone": ("keystone.wsgi.api", "KEYSTONE", ""),
    "placement": ("placement.wsgi.api", "PLACEMENT", ""),
    "glance": ("glance.wsgi.api", "GLANCE", ""),
    "neutron": ("neutron.wsgi.api", "NEUTRON", "neutron.conf;ml2_conf.ini"),
    "nova": ("nova.wsgi.osapi_compute", "NOVA", "api-paste.ini;nova.conf;nova-api.conf"),
}


def wsgi_module(config: DevcloudConfig, name: str) -> str:
    """A gunicorn entry point: oslo.config must not see gunicorn's own ``sys.argv``."""
    if name == "cinder":
        conf = config.etc / "cinder"
        argv = ["cinder-api", "--config-file", str(conf / "cinder.conf")]
        argv += ["--config-file", str(conf / "cinder-api.conf")]
        return f"import sys\nsys.argv = {argv!r}\nfrom cinder.wsgi.api import application  # noqa\n"
    module, env, files = WSGI_APPS[name]
    lines = [
        "import os, sys",
        f"sys.argv = [{name + '-api'!r}]",
        f"os.environ['OS_{env}_CONFIG_DIR'] = {str(config.etc / name)!r}",
    ]
    if files:
        lines.append(f"os.environ['OS_{env}_CONFIG_FILES'] = {files!r}")
    lines.append(f"from {module} import application  # noqa")
    return "\n".join(lines) + "\n"


def clouds_entries(config: DevcloudConfig) -> dict[str, dict[str, object]]:
    """The ``devcloud`` (admin) and ``devcloud-demo`` (member) clouds.yaml entries."""

    def entry(user: str) -> dict[str, object]:
        return {
            "auth": {
                "auth_url": config.auth_url,
                "username": user,
                "password": config.password,
                "project_name": user,
                "user_domain_name": "Default",
                "project_domain_name": "Default",
            },
            "region_name": REGION,
            "identity_api_version": 3,
            "interface": "public",
        }

    return {CLOUD_NAME: entry("admin"), f"{CLOUD_NAME}-demo": entry("demo")}


def env_exports(config: DevcloudConfig, user: str = "admin") -> str:
    """``export OS_...`` lines for a POSIX shell, for the admin or the demo user."""
    values = {
        "OS_AUTH_TYPE": "password",
        "OS_AUTH_URL": config.auth_url,
        "OS_IDENTITY_API_VERSION": "3",
        "OS_REGION_NAME": REGION,
        "OS_USERNAME": user,
        "OS_PASSWORD": config.password,
        "OS_PROJECT_NAME": user,
        "OS_USER_DOMAIN_NAME": "Default",
        "OS_PROJECT_DOMAIN_NAME": "Default",
        "OS_INTERFACE": "public",
    }
    lines = ["unset OS_CLOUD"]
    lines += [f"export {key}={_shell_quote(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def _shell_quote(value: str) -> str:
    if value and all(c.isalnum() or c in "@%+=:,./_-" for c in value):
        return value
    return "'" + value.replace("'", "'\"'\"'") + "'"


def files(config: DevcloudConfig) -> dict[Path, str]:
    """Every file ``up`` writes under the devcloud directory, by absolute path."""
    etc, wsgi = config.etc, config.directory / "wsgi"
    result: dict[Path, str] = {
        etc / "mariadb.cnf": mariadb_cnf(config),
        etc / "rabbitmq" / "rabbitmq.conf": rabbitmq_conf(config),
        etc / "keystone" / "keystone.conf": keystone_conf(config),
        etc / "placement" / "placement.conf": placement_conf(config),
        etc / "glance" / "glance-api.conf": glance_conf(config),
        etc / "neutron" / "neutron.conf": neutron_conf(config),
        etc / "neutron" / "ml2_conf.ini": ml2_conf(),
        etc / "nova" / "nova.conf": nova_conf(config),
        etc / "nova" / "nova-api.conf": ini({"DEFAULT": _log(config, "nova-api")}),
        etc / "cinder" / "cinder.conf": cinder_conf(config),
        etc / "cinder" / "cinder-api.conf": ini({"DEFAULT": _log(config, "cinder-api")}),
    }
    for host in config.compute_hosts():
        result[etc / "nova" / f"{host}.conf"] = nova_compute_conf(config, host)
    for name in (*WSGI_APPS, "cinder"):
        result[wsgi / f"{name}_app.py"] = wsgi_module(config, name)
    return result


def create_databases_sql(config: DevcloudConfig) -> str:
    """SQL run as MariaDB's root over the socket: one database per service, one user."""
    pw = config.password.replace("\\", "\\\\").replace("'", "\\'")
    lines = [f"CREATE USER IF NOT EXISTS '{DB_USER}'@'{HOST}' IDENTIFIED BY '{pw}';"]
    lines += [f"ALTER USER '{DB_USER}'@'{HOST}' IDENTIFIED BY '{pw}';"]
    for db in DATABASES:
        lines.append(f"CREATE DATABASE IF NOT EXISTS {db};")
        lines.append(f"GRANT ALL ON {db}.* TO '{DB_USER}'@'{HOST}';")
    return "\n".join(lines) + "\n"
