"""The OpenStack session a monitor probes with (private helper of api/services)."""

from __future__ import annotations

from squall.errors import ConfigError
from squall.monitors.base import MonitorEnv
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import from_clouds_yaml
from squall.openstack.session import UserSession


def open_session(cloud: str | None, env: MonitorEnv) -> UserSession:
    """A session of its own: for ``cloud`` (clouds.yaml), else for the run's primary
    cloud; admin when the cloud has admin credentials."""
    if cloud is not None:
        name, _, region = cloud.partition("/")
        spec = from_clouds_yaml(name, region or None)
    else:
        run_env = env.find(OpenStackEnv)
        if run_env is None:
            raise ConfigError(
                "this monitor needs a cloud",
                hint="give it `cloud: NAME` (clouds.yaml) or start the task with --cloud",
            )
        spec = run_env.primary
    credential = spec.admin or (spec.users[0] if spec.users else None)
    if credential is None:
        raise ConfigError(f"cloud {spec.label} has no credentials")
    return UserSession.open(spec, credential)
