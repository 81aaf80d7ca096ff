"""The devcloud's settings: where it lives, which ports it takes, how many computes it runs.

Building one reads the environment and the settings recorded in the devcloud directory.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from squall.errors import DevcloudError

HOST: Final = "127.0.0.1"
"""Every devcloud service listens here and nowhere else."""

ENV_DIR: Final = "SQUALL_DEVCLOUD_DIR"
ENV_CONSTRAINTS: Final = "SQUALL_DEVCLOUD_CONSTRAINTS"
ENV_COMPUTES: Final = "SQUALL_DEVCLOUD_COMPUTES"
ENV_PORT_OFFSET: Final = "SQUALL_DEVCLOUD_PORT_OFFSET"
ENV_CLOUDS_YAML: Final = "SQUALL_DEVCLOUD_CLOUDS_YAML"

CLOUD_NAME: Final = "devcloud"
REGION: Final = "RegionOne"
CIRROS_VERSION: Final = "0.6.3"
IMAGE_NAME: Final = f"cirros-{CIRROS_VERSION}-x86_64-disk"

BUNDLED_CONSTRAINTS: Final = Path(__file__).with_name("constraints.txt")

OPENSTACK_RELEASES: Final = (
    "keystone==30.0.0",
    "nova==34.0.0",
    "neutron==29.0.0",
    "glance==33.0.0",
    "openstack-placement==16.0.0",
    "cinder==29.0.0",
)
"""The service releases installed into the devcloud venv (the 2026.2 set)."""

EXTRA_PACKAGES: Final = (
    "gunicorn",
    "PyMySQL",
    "python-memcached",
    "openstacksdk",
    "python-openstackclient",
)


def default_directory() -> Path:
    """``$XDG_DATA_HOME/squall/devcloud`` (``~/.local/share/squall/devcloud``)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("squall", appauthor=False)) / "devcloud"


def default_clouds_yaml() -> Path:
    """The user's clouds.yaml, the first place openstacksdk looks for a cloud by name."""
    return Path.home() / ".config" / "openstack" / "clouds.yaml"


class Ports(BaseModel):
    """One TCP port on 127.0.0.1 per listening service."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    keystone: int = 5000
    glance: int = 9292
    placement: int = 8778
    nova: int = 8774
    neutron: int = 9696
    cinder: int = 8776
    mariadb: int = 3306
    rabbitmq: int = 5672
    epmd: int = 4369
    rabbitmq_dist: int = 25672

    @field_validator("*")
    @classmethod
    def _in_range(cls, value: int) -> int:
        if not 1 <= value <= 65535:
            raise ValueError("must be between 1 and 65535")
        return value

    def shifted(self, offset: int) -> Ports:
        """The same ports, each moved by ``offset`` (to run a second devcloud)."""
        return Ports(**{name: port + offset for name, port in self.model_dump().items()})

    def with_overrides(self, overrides: dict[str, int]) -> Ports:
        unknown = sorted(set(overrides) - set(Ports.model_fields))
        if unknown:
            raise DevcloudError(
                f"unknown devcloud port name: {', '.join(unknown)}",
                hint=f"known names: {', '.join(Ports.model_fields)}",
            )
        return self.model_copy(update=overrides)

    def clashes(self) -> list[str]:
        """Names of services that share a port with another one."""
        seen: dict[int, str] = {}
        clashing: list[str] = []
        for name, port in self.model_dump().items():
            if port in seen:
                clashing.append(f"{seen[port]}/{name} ({port})")
            seen[port] = name
        return clashing


class DevcloudConfig(BaseModel):
    """Everything that makes one devcloud differ from another."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    directory: Path = Field(default_factory=default_directory)
    ports: Ports = Field(default_factory=Ports)
    computes: int = Field(default=2, ge=2, le=16)
    constraints: Path = BUNDLED_CONSTRAINTS
    password: str = Field(default="secret", min_length=1)
    clouds_yaml: Path = Field(default_factory=default_clouds_yaml)
    stop_grace: float = Field(default=5.0, ge=0)
    """Seconds between SIGTERM and SIGKILL when stopping (nova ignores SIGTERM)."""

    @property
    def venv(self) -> Path:
        return self.directory / "venv"

    @property
    def logs(self) -> Path:
        return self.directory / "logs"

    @property
    def etc(self) -> Path:
        return self.directory / "etc"

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def run(self) -> Path:
        return self.directory / "run"

    @property
    def state_file(self) -> Path:
        return self.directory / "devcloud.json"

    @property
    def mysql_socket(self) -> Path:
        return self.run / "mysqld.sock"

    @property
    def auth_url(self) -> str:
        return f"http://{HOST}:{self.ports.keystone}/v3"

    @property
    def rabbit_node(self) -> str:
        """A node name unique to this directory, so two devclouds never share one."""
        digest = hashlib.sha1(str(self.directory).encode()).hexdigest()[:8]
        return f"squall-{digest}@localhost"

    def compute_hosts(self) -> list[str]:
        return [f"devcloud-compute{i}" for i in range(1, self.computes + 1)]


def _int_env(name: str, env: dict[str, str]) -> int | None:
    raw = env.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise DevcloudError(f"{name}={raw!r} is not an integer", hint=f"unset {name}") from None


def _recorded(directory: Path) -> dict[str, object]:
    """The settings the last ``up`` recorded in ``directory`` (empty if none or unreadable)."""
    try:
        recorded = json.loads((directory / "devcloud.json").read_text())["config"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(recorded, dict):
        return {}
    # the constraints come with the squall that runs (or --constraints), never from a record
    # that may point into another checkout
    return {key: value for key, value in recorded.items() if key != "constraints"}


def load_config(
    *,
    directory: Path | None = None,
    computes: int | None = None,
    constraints: Path | None = None,
    port_offset: int | None = None,
    ports: dict[str, int] | None = None,
    clouds_yaml: Path | None = None,
    env: dict[str, str] | None = None,
) -> DevcloudConfig:
    """Build a config from explicit values, then ``SQUALL_DEVCLOUD_*``, then the settings
    recorded by the last ``up`` in that directory, then defaults."""
    env = dict(os.environ) if env is None else env
    chosen_dir = directory or (Path(env[ENV_DIR]) if env.get(ENV_DIR) else None)
    chosen_dir = (chosen_dir or default_directory()).expanduser().absolute()
    values = _recorded(chosen_dir)
    values["directory"] = chosen_dir
    chosen_computes = computes if computes is not None else _int_env(ENV_COMPUTES, env)
    if chosen_computes is not None:
        values["computes"] = chosen_computes
    chosen_constraints = constraints or (
        Path(env[ENV_CONSTRAINTS]) if env.get(ENV_CONSTRAINTS) else None
    )
    if chosen_constraints is not None:
        values["constraints"] = chosen_constraints.expanduser().absolute()
    chosen_yaml = clouds_yaml or (Path(env[ENV_CLOUDS_YAML]) if env.get(ENV_CLOUDS_YAML) else None)
    if chosen_yaml is not None:
        values["clouds_yaml"] = chosen_yaml.expanduser().absolute()
    offset = port_offset if port_offset is not None else _int_env(ENV_PORT_OFFSET, env)
    chosen_ports = Ports() if offset is not None else Ports.model_validate(values.get("ports", {}))
    try:
        if offset:
            chosen_ports = chosen_ports.shifted(offset)
        if ports:
            chosen_ports = chosen_ports.with_overrides(ports)
        values["ports"] = chosen_ports
        config = DevcloudConfig.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "devcloud"
        raise DevcloudError(
            f"bad devcloud setting {where}: {first['msg']}",
            hint="check the --dir/--computes/--port options and SQUALL_DEVCLOUD_* variables",
        ) from None
    clashes = config.ports.clashes()
    if clashes:
        raise DevcloudError(
            f"two devcloud services would share a port: {', '.join(clashes)}",
            hint="give each service its own port",
        )
    return config


def parse_port_overrides(items: list[str]) -> dict[str, int]:
    """``["keystone=15000", "nova=18774"]`` -> ``{"keystone": 15000, "nova": 18774}``."""
    result: dict[str, int] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not value.strip().isdigit():
            raise DevcloudError(
                f"bad --port value {item!r}", hint="write NAME=PORT, for example keystone=15000"
            )
        result[name.strip()] = int(value)
    return result
