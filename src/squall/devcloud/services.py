"""What runs in a devcloud: one ``Service`` per process tree, in start order. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from squall.devcloud.config import HOST, DevcloudConfig


class Probe(StrEnum):
    """How ``status`` decides that a service answers."""

    HTTP = "http"  # any HTTP answer on its port
    TCP = "tcp"  # a TCP connect on its port
    PROCESS = "process"  # its process is alive (no port)


@dataclass(frozen=True)
class Service:
    """One long-running process tree of the devcloud."""

    name: str
    argv: tuple[str, ...]
    probe: Probe
    port: int | None = None
    env: dict[str, str] = field(default_factory=dict)
    logs: tuple[str, ...] = ()
    """Log files (names under ``logs/``) worth showing when the service fails."""

    @property
    def url(self) -> str | None:
        return f"http://{HOST}:{self.port}/" if self.probe is Probe.HTTP else None


INFRA = ("mariadb", "epmd", "rabbitmq")
"""Backing services, stopped last so OpenStack services can close their connections."""


def _gunicorn(config: DevcloudConfig, name: str, module: str, port: int) -> Service:
    argv = (
        str(config.venv / "bin" / "gunicorn"),
        "--chdir",
        str(config.directory / "wsgi"),
        "-b",
        f"{HOST}:{port}",
        "-w",
        "1",
        "-k",
        "gthread",
        "--threads",
        "8",
        "--timeout",
        "300",
        # longer than the clients' idle time: no reset races on kept-alive connections
        "--graceful-timeout",
        "2",
        "--keep-alive",
        "75",
        # gunicorn >= 26 opens ~/.gunicorn/gunicorn.ctl, which all instances would share
        "--no-control-socket",
        "--access-logfile",
        str(config.logs / f"{name}-access.log"),
        f"{module}_app:application",
    )
    return Service(name, argv, Probe.HTTP, port, logs=(f"{name}.log", f"{name}.out"))


def _oslo(config: DevcloudConfig, name: str, binary: str, *confs: Path) -> Service:
    argv: list[str] = [str(config.venv / "bin" / binary)]
    for conf in confs:
        argv += ["--config-file", str(conf)]
    if not name.startswith("nova-compute"):  # computes set log_file in their own config
        argv += ["--log-file", str(config.logs / f"{name}.log")]
    return Service(name, tuple(argv), Probe.PROCESS, logs=(f"{name}.log", f"{name}.out"))


def infra_services(config: DevcloudConfig) -> list[Service]:
    rabbit_base = config.data / "rabbitmq"
    rabbit_env = {
        "HOME": str(rabbit_base),
        "RABBITMQ_NODENAME": config.rabbit_node,
        "RABBITMQ_NODE_IP_ADDRESS": HOST,
        "RABBITMQ_NODE_PORT": str(config.ports.rabbitmq),
        "RABBITMQ_DIST_PORT": str(config.ports.rabbitmq_dist),
        "ERL_EPMD_ADDRESS": HOST,
        "ERL_EPMD_PORT": str(config.ports.epmd),
        "RABBITMQ_CONFIG_FILE": str(config.etc / "rabbitmq" / "rabbitmq.conf"),
        "RABBITMQ_MNESIA_BASE": str(rabbit_base / "mnesia"),
        "RABBITMQ_LOG_BASE": str(config.logs),
        "RABBITMQ_LOGS": str(config.logs / "rabbitmq.log"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(rabbit_base / "enabled_plugins"),
        "RABBITMQ_PID_FILE": str(config.run / "rabbitmq.pid"),
    }
    return [
        Service(
            "mariadb",
            ("/usr/sbin/mariadbd", f"--defaults-file={config.etc / 'mariadb.cnf'}"),
            Probe.TCP,
            config.ports.mariadb,
            logs=("mariadb.log", "mariadb.out"),
        ),
        Service(
            "epmd",
            ("/usr/bin/epmd", "-address", HOST, "-port", str(config.ports.epmd)),
            Probe.TCP,
            config.ports.epmd,
            env={"ERL_EPMD_ADDRESS": HOST},
            logs=("epmd.out",),
        ),
        Service(
            "rabbitmq",
            ("/usr/lib/rabbitmq/bin/rabbitmq-server",),
            Probe.TCP,
            config.ports.rabbitmq,
            env=rabbit_env,
            logs=("rabbitmq.out", "rabbitmq.log"),
        ),
    ]


def rabbitmqctl_env(config: DevcloudConfig) -> dict[str, str]:
    """Environment under which ``rabbitmqctl`` finds this devcloud's node and cookie."""
    env = infra_services(config)[2].env
    keep = ("HOME", "RABBITMQ_NODENAME", "ERL_EPMD_PORT", "ERL_EPMD_ADDRESS")
    return {key: env[key] for key in keep}


def keystone_service(config: DevcloudConfig) -> Service:
    return _gunicorn(config, "keystone", "keystone", config.ports.keystone)


def openstack_services(config: DevcloudConfig) -> list[Service]:
    """Everything after keystone, in start order."""
    etc, ports = config.etc, config.ports
    nova = etc / "nova" / "nova.conf"
    cinder = etc / "cinder" / "cinder.conf"
    services = [
        _gunicorn(config, "placement", "placement", ports.placement),
        _gunicorn(config, "glance", "glance", ports.glance),
        _gunicorn(config, "neutron", "neutron", ports.neutron),
        _gunicorn(config, "cinder-api", "cinder", ports.cinder),
        _oslo(config, "cinder-scheduler", "cinder-scheduler", cinder),
        _oslo(config, "cinder-volume", "cinder-volume", cinder),
        _oslo(config, "cinder-backup", "cinder-backup", cinder),
        _gunicorn(config, "nova-api", "nova", ports.nova),
        _oslo(config, "nova-conductor", "nova-conductor", nova),
        _oslo(config, "nova-scheduler", "nova-scheduler", nova),
    ]
    for host in config.compute_hosts():
        name = "nova-" + host.removeprefix("devcloud-")
        services.append(_oslo(config, name, "nova-compute", nova, etc / "nova" / f"{host}.conf"))
    return services


def all_services(config: DevcloudConfig) -> list[Service]:
    """Every service of the devcloud, in start order."""
    return [*infra_services(config), keystone_service(config), *openstack_services(config)]
