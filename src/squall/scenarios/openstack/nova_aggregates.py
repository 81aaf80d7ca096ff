"""NovaAggregates.*: host aggregates, their hosts and metadata (admin).

Rally's names, arguments and atomic names. Aggregates and the hosts added to them
are journaled (``nova.aggregate``, ``nova.aggregate_host``), so cleanup removes the
hosts before it deletes the aggregate, even after ``kill -9``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, model_validator

from squall.errors import CloudError
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind, link_id
from squall.openstack.lookup import ResourceSpec
from squall.scenarios.openstack._nova import BootArgs, NovaScenario
from squall.scenarios.openstack.base import OpenStackArgs, OpenStackScenario


class _ZoneArgs(OpenStackArgs):
    availability_zone: str | None = Field(description="availability zone of the aggregate")


class AggregateScenario(OpenStackScenario):
    """Aggregate helpers, as the admin."""

    services: ClassVar[tuple[str, ...]] = ("compute",)
    needs_admin: ClassVar[bool] = True

    @property
    def admin_compute(self) -> Any:
        return self.admin_clients.compute

    def _create_aggregate(self, availability_zone: str | None) -> Any:
        compute = self.admin_compute
        attrs = {"availability_zone": availability_zone} if availability_zone else {}
        return self.create_tracked(
            ResourceKind.AGGREGATE,
            "nova.create_aggregate",
            lambda name: compute.create_aggregate(name=name, **attrs),
            project_id="",
        )

    def _list_aggregates(self) -> list[Any]:
        with self.action("nova.list_aggregates"):
            return list(self.admin_compute.aggregates())

    def _list_hypervisors(self) -> list[Any]:
        with self.action("nova.list_hypervisors"):
            return list(self.admin_compute.hypervisors(details=True))

    def _add_host(self, aggregate: Any, host: str) -> None:
        compute = self.admin_compute
        self.link_tracked(
            ResourceKind.AGGREGATE_HOST,
            "nova.aggregate_add_host",
            str(aggregate.id),
            host,
            lambda: compute.add_host_to_aggregate(aggregate, host),
        )

    def _remove_host(self, aggregate: Any, host: str) -> None:
        with self.action("nova.aggregate_remove_host"):
            self.admin_compute.remove_host_from_aggregate(aggregate, host)
        self.untracked(ResourceKind.AGGREGATE_HOST, link_id(str(aggregate.id), host))


def _host_of(hypervisor: Any) -> str:
    """The compute service host of a hypervisor (what aggregates hold)."""
    service = getattr(hypervisor, "service_details", None) or {}
    return str(service.get("host") or "")


class ListAggregates(AggregateScenario):
    """List every aggregate."""

    name: ClassVar[str] = "NovaAggregates.list_aggregates"
    Config = OpenStackArgs

    def run(self) -> None:
        self._list_aggregates()


class CreateAndListAggregates(AggregateScenario):
    """Create an aggregate, list aggregates and check the new one is listed."""

    name: ClassVar[str] = "NovaAggregates.create_and_list_aggregates"
    Config = _ZoneArgs

    def run(self) -> None:
        assert isinstance(self.config, _ZoneArgs)
        aggregate = self._create_aggregate(self.config.availability_zone)
        if str(aggregate.id) not in {str(a.id) for a in self._list_aggregates()}:
            raise CloudError(f"aggregate {aggregate.id} is not in the list of aggregates")


class CreateAndDeleteAggregate(AggregateScenario):
    """Create an aggregate, then delete it."""

    name: ClassVar[str] = "NovaAggregates.create_and_delete_aggregate"
    Config = _ZoneArgs

    def run(self) -> None:
        assert isinstance(self.config, _ZoneArgs)
        aggregate = self._create_aggregate(self.config.availability_zone)
        with self.action("nova.delete_aggregate"):
            self.admin_compute.delete_aggregate(aggregate, ignore_missing=False)
        self.untracked(ResourceKind.AGGREGATE, str(aggregate.id))


class CreateAndUpdateAggregate(AggregateScenario):
    """Create an aggregate, then give it a new name and availability zone (both random)."""

    name: ClassVar[str] = "NovaAggregates.create_and_update_aggregate"
    Config = _ZoneArgs

    def run(self) -> None:
        assert isinstance(self.config, _ZoneArgs)
        aggregate = self._create_aggregate(self.config.availability_zone)
        name, zone = self.generate_name(), self.generate_name()
        with self.action("nova.update_aggregate"):
            self.admin_compute.update_aggregate(aggregate, name=name, availability_zone=zone)


class CreateAggregateAddAndRemoveHost(AggregateScenario):
    """Create an aggregate, add the first hypervisor's host to it, then remove it."""

    name: ClassVar[str] = "NovaAggregates.create_aggregate_add_and_remove_host"
    Config = _ZoneArgs

    def run(self) -> None:
        assert isinstance(self.config, _ZoneArgs)
        aggregate = self._create_aggregate(self.config.availability_zone)
        hypervisors = self._list_hypervisors()
        if not hypervisors:
            raise CloudError("nova lists no hypervisor to add to the aggregate")
        host = _host_of(hypervisors[0])
        self._add_host(aggregate, host)
        self._remove_host(aggregate, host)


class CreateAndGetAggregateDetails(AggregateScenario):
    """Create an aggregate, then show it."""

    name: ClassVar[str] = "NovaAggregates.create_and_get_aggregate_details"
    Config = _ZoneArgs

    def run(self) -> None:
        assert isinstance(self.config, _ZoneArgs)
        aggregate = self._create_aggregate(self.config.availability_zone)
        with self.action("nova.get_aggregate_details"):
            self.admin_compute.get_aggregate(aggregate.id)


class _BootOnAggregateArgs(OpenStackArgs):
    image: ResourceSpec
    metadata: dict[str, str] = Field(
        description="set on the aggregate and as the flavor's extra specs"
    )
    availability_zone: str | None = None
    ram: int = Field(512, ge=1, description="MiB")
    vcpus: int = Field(1, ge=1)
    disk: int = Field(1, ge=0, description="GiB")
    boot_server_kwargs: dict[str, Any] | None = Field(
        None, description="what NovaServers.boot_server takes besides image and flavor"
    )

    @model_validator(mode="after")
    def _boot_kwargs_known(self) -> _BootOnAggregateArgs:
        self.boot_args("flavor")  # unknown or mistyped keywords fail at load time
        return self

    def boot_args(self, flavor_id: str) -> BootArgs:
        return BootArgs.model_validate(
            {**(self.boot_server_kwargs or {}), "image": self.image, "flavor": {"id": flavor_id}}
        )


class CreateAggregateAddHostAndBootServer(AggregateScenario, NovaScenario):
    """Create an aggregate with metadata and an enabled host, a flavor whose extra specs
    are that metadata, boot a server with it and check it landed on that host."""

    name: ClassVar[str] = "NovaAggregates.create_aggregate_add_host_and_boot_server"
    keeps_servers: ClassVar[bool] = True  # deleted by the workload's sweep
    Config = _BootOnAggregateArgs

    def flavor_id(self, spec: ResourceSpec) -> str:
        """The flavor this iteration created: used by id, with no lookup."""
        return spec.id if spec.id else super().flavor_id(spec)

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _BootOnAggregateArgs)
        aggregate = self._create_aggregate(cfg.availability_zone)
        host = next(
            (
                _host_of(h)
                for h in self._list_hypervisors()
                if h.state == "up" and h.status == "enabled"
            ),
            None,
        )
        if not host:
            raise CloudError("could not find an available host (up and enabled)")
        with self.action("nova.aggregate_set_metadata"):
            self.admin_compute.set_aggregate_metadata(aggregate, cfg.metadata)
        self._add_host(aggregate, host)
        flavor = self._flavor(cfg)
        server = self._boot_server(cfg.boot_args(str(flavor.id)))
        with cloud_errors("nova.get_server"):  # as the admin, who sees the host
            landed = self.admin_compute.get_server(server.id).hypervisor_hostname
        if landed != host:
            raise CloudError(
                f"server {server.id} runs on {landed}, not on the aggregate's host {host}"
            )

    def _flavor(self, cfg: _BootOnAggregateArgs) -> Any:
        compute = self.admin_compute
        flavor = self.create_tracked(
            ResourceKind.FLAVOR,
            "nova.create_flavor",
            lambda name: compute.create_flavor(
                name=name, ram=cfg.ram, vcpus=cfg.vcpus, disk=cfg.disk
            ),
            project_id="",
        )
        with cloud_errors("nova.set_flavor_keys"):  # untimed, as in Rally
            compute.create_flavor_extra_specs(flavor, cfg.metadata)
        return flavor
