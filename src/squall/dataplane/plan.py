"""The data-plane plan: what to stage, where, and which tests to run on it.

::

    dataplane: 1
    title: east-west HTTP and TCP
    provider: netns                    # or openstack
    network_mode: single-router        # single-network | single-router | full
    scale:                             # KloudBuster's terms
      tenants: 1
      users_per_tenant: 1
      routers_per_tenant: 1
      networks_per_router: 1
      servers_per_network: 2
      clients_per_server: 1
    placement: {spread: none}          # openstack: zones | hosts, anti_affinity
    clouds: {server: mycloud, client: mycloud}      # openstack only; may differ
    openstack: {image: ubuntu-24.04, flavor: m1.small, external_network: public}
    controller: {loss_timeout: 30, register_timeout: 120, listen: "203.0.113.5:7780"}
    execution: sequential              # or concurrent
    custom_tests: tests/               # optional: a folder of stdlib custom test files
    tests:
      - {name: http, tool: http, duration: 10, warmup: 2, repetitions: 1,
         report_interval: 1, args: {connections: 20, rate: 2000}}
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

NETWORK_MODES = ("single-network", "single-router", "full")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Scale(_Strict):
    tenants: int = Field(1, ge=1, le=100)
    users_per_tenant: int = Field(1, ge=1, le=100)
    routers_per_tenant: int = Field(1, ge=1, le=100)
    networks_per_router: int = Field(1, ge=1, le=100)
    servers_per_network: int = Field(1, ge=1, le=1000)
    clients_per_server: int = Field(1, ge=1, le=100)


class Placement(_Strict):
    spread: Literal["none", "zones", "hosts"] = "none"
    zones: list[str] = Field(default_factory=list)
    anti_affinity: bool = False


class Clouds(_Strict):
    server: str | None = None
    client: str | None = None
    server_region: str | None = None
    client_region: str | None = None


class ControllerOptions(_Strict):
    listen: str | None = Field(
        None,
        description="host:port agents reach the controller on (openstack only)",
    )
    bind: str | None = Field(
        None,
        description="host:port the controller binds when it differs from `listen` (NAT)",
    )
    loss_timeout: float = Field(30.0, gt=0)
    register_timeout: float = Field(120.0, gt=0)
    poll_wait: float = Field(10.0, gt=0, le=60)
    start_lead: float = Field(
        1.0, ge=0.05, description="seconds between sending a test and its common start_at"
    )


class NetnsOptions(_Strict):
    mtu: int = Field(1500, ge=576, le=65000)
    nat: Literal["nft", "iptables"] = "nft"


class VolumeOptions(_Strict):
    """A Cinder volume attached to every client instance (fio's target, ``/dev/vdb``)."""

    size: int = Field(1, ge=1, le=16384, description="GiB")
    type: str | None = Field(None, description="volume type name (the default type if unset)")


class ProxyOptions(_Strict):
    """A proxy instance relaying agents to the controller (squall connects out to it)."""

    port: int = Field(7780, ge=1, le=65534, description="agents' port; squall's is port + 1")


class OpenStackOptions(_Strict):
    """How the ``openstack`` provider stages instances (KloudBuster's knobs)."""

    image: str = Field("ubuntu", description="image name, id or regex (a stock cloud image)")
    flavor: str = Field("m1.small", description="flavor name or id")
    external_network: str | None = Field(
        None, description="name or id; the first external network when unset"
    )
    tenancy: Literal["create", "existing"] = Field(
        "create",
        description="create projects and users (admin needed) or stage in the given user's",
    )
    volume: VolumeOptions | None = None
    proxy: ProxyOptions | None = Field(
        None, description="agents reach the controller through a proxy instance"
    )
    packages: list[str] | None = Field(
        None, description="packages cloud-init installs (default: what the tests need)"
    )
    boot_timeout: float = Field(600.0, gt=0, description="seconds to wait for servers ACTIVE")


class PlanTest(_Strict):
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    tool: str = Field(min_length=1)
    duration: float = Field(10.0, gt=0, le=24 * 3600)
    warmup: float = Field(0.0, ge=0)
    repetitions: int = Field(1, ge=1, le=1000)
    report_interval: float = Field(1.0, gt=0)
    args: dict[str, Any] = Field(default_factory=dict)


class Plan(_Strict):
    dataplane: Literal[1] = 1
    title: str = ""
    description: str = ""
    provider: Literal["netns", "openstack"] = "netns"
    network_mode: Literal["single-network", "single-router", "full"] = "single-network"
    scale: Scale = Field(default_factory=Scale)
    placement: Placement = Field(default_factory=Placement)
    clouds: Clouds = Field(default_factory=Clouds)
    openstack: OpenStackOptions = Field(default_factory=OpenStackOptions)
    controller: ControllerOptions = Field(default_factory=ControllerOptions)
    netns: NetnsOptions = Field(default_factory=NetnsOptions)
    execution: Literal["sequential", "concurrent"] = "sequential"
    custom_tests: str | None = Field(
        None, description="folder of custom test files (relative to the plan file)"
    )
    tests: list[PlanTest] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_test_names(self) -> Plan:
        seen: set[str] = set()
        for test in self.tests:
            if test.name in seen:
                raise ValueError(f"test name {test.name!r} is used twice")
            seen.add(test.name)
        return self
