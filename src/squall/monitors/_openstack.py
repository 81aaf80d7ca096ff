"""The OpenStack session a monitor probes with (private helper of api/services)."""

from __future__ import annotations

from squall.errors import ConfigError
from squall.monitors.base import MonitorEnv
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import CloudSpec, from_clouds_yaml
from squall.openstack.session import UserSession

#: the ``cloud`` argument of the monitors that probe OpenStack
CLOUD_HELP = (
    "a cloud of the run, NAME or NAME/REGION as the `cloud` context writes it (default: "
    "the run's first cloud); a clouds.yaml entry when the run has no cloud"
)


def monitor_cloud(cloud: str | None, env: MonitorEnv) -> CloudSpec:
    """The cloud a monitor probes: ``cloud`` among the run's clouds (the primary when
    None); a clouds.yaml entry when the run has none. ConfigError naming the run's
    clouds for one it does not have."""
    run_env = env.find(OpenStackEnv)
    if run_env is not None:
        try:
            return run_env.cloud(cloud)
        except ConfigError as exc:
            message = f"monitor cloud {cloud!r} is not a cloud of this run"
            raise ConfigError(message, hint=exc.hint) from None
    if cloud is None:
        raise ConfigError(
            "this monitor needs a cloud",
            hint="give it `cloud: NAME` (clouds.yaml) or start the task with --cloud",
        )
    name, _, region = cloud.partition("/")
    return from_clouds_yaml(name, region or None)


def open_session(cloud: str | None, env: MonitorEnv) -> UserSession:
    """A session of its own on the monitor's cloud (``monitor_cloud``); admin when the
    cloud has admin credentials."""
    spec = monitor_cloud(cloud, env)
    credential = spec.admin or (spec.users[0] if spec.users else None)
    if credential is None:
        raise ConfigError(f"cloud {spec.label} has no credentials")
    return UserSession.open(spec, credential)
