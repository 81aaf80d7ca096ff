"""A real, small OpenStack on this machine, bound to 127.0.0.1, for tests and demos.

``up`` installs MariaDB, RabbitMQ and qemu-img from Debian and OpenStack from PyPI into
its own virtualenv (pinned by ``constraints.txt``, with squall's drivers from
``drivers/``), then runs keystone, glance, placement, nova (fake virt driver that
snapshots, several computes), neutron (ML2 with squall's no-op mechanism driver, trunks)
and cinder (sparse-file volumes, backups) as plain processes that ``down`` stops by PID.
"""

from squall.devcloud.config import CLOUD_NAME, DevcloudConfig, Ports, load_config
from squall.devcloud.control import ServiceStatus, down, env_text, status
from squall.devcloud.up import UpResult, up

__all__ = [
    "CLOUD_NAME",
    "DevcloudConfig",
    "Ports",
    "ServiceStatus",
    "UpResult",
    "down",
    "env_text",
    "load_config",
    "status",
    "up",
]
