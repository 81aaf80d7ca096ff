"""NovaFlavors.*: list, create, show, delete flavors, their access and keys (admin).

Rally's names, arguments and atomic names. ``flavorid: auto`` lets nova pick the id.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from squall.errors import CloudError
from squall.openstack.journal import ResourceKind
from squall.scenarios.openstack.base import OpenStackArgs, OpenStackScenario


class FlavorArgs(OpenStackArgs):
    ram: int = Field(ge=1, description="MiB")
    vcpus: int = Field(ge=1)
    disk: int = Field(ge=0, description="GiB")
    flavorid: str = "auto"
    ephemeral: int = Field(0, ge=0)
    swap: int = Field(0, ge=0)
    rxtx_factor: float = Field(1.0, gt=0)
    is_public: bool = True


class FlavorScenario(OpenStackScenario):
    services: ClassVar[tuple[str, ...]] = ("compute",)
    needs_admin: ClassVar[bool] = True

    @property
    def admin_compute(self) -> Any:
        return self.admin_clients.compute

    def _create_flavor(self, args: FlavorArgs, *, is_public: bool | None = None) -> Any:
        attrs: dict[str, Any] = {
            "ram": args.ram,
            "vcpus": args.vcpus,
            "disk": args.disk,
            "ephemeral": args.ephemeral,
            "swap": args.swap,
            "rxtx_factor": args.rxtx_factor,
            "is_public": args.is_public if is_public is None else is_public,
        }
        if args.flavorid != "auto":
            attrs["id"] = args.flavorid
        compute = self.admin_compute
        return self.create_tracked(
            ResourceKind.FLAVOR,
            "nova.create_flavor",
            lambda name: compute.create_flavor(name=name, **attrs),
            project_id="",
        )


class ListFlavors(FlavorScenario):
    """List flavors (as the user)."""

    name: ClassVar[str] = "NovaFlavors.list_flavors"
    needs_admin: ClassVar[bool] = False

    class Config(OpenStackArgs):
        detailed: bool = True
        is_public: bool | None = True
        marker: str | None = None
        min_disk: int | None = None
        min_ram: int | None = None
        limit: int | None = None
        sort_key: str | None = None
        sort_dir: str | None = None

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ListFlavors.Config)
        query = cfg.model_dump(exclude={"detailed", "waits"}, exclude_none=True)
        with self.action("nova.list_flavors"):
            list(self.clients.compute.flavors(details=cfg.detailed, **query))


class CreateFlavor(FlavorScenario):
    """Create a flavor (deleted by the workload's sweep)."""

    name: ClassVar[str] = "NovaFlavors.create_flavor"
    Config = FlavorArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, FlavorArgs)
        self._create_flavor(cfg)


class CreateAndGetFlavor(FlavorScenario):
    """Create a flavor, then show it."""

    name: ClassVar[str] = "NovaFlavors.create_and_get_flavor"
    Config = FlavorArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, FlavorArgs)
        flavor = self._create_flavor(cfg)
        with self.action("nova.get_flavor"):
            self.admin_compute.get_flavor(flavor.id)


class CreateAndDeleteFlavor(FlavorScenario):
    """Create a flavor, then delete it."""

    name: ClassVar[str] = "NovaFlavors.create_and_delete_flavor"
    Config = FlavorArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, FlavorArgs)
        flavor = self._create_flavor(cfg)
        with self.action("nova.delete_flavor"):
            self.admin_compute.delete_flavor(flavor.id, ignore_missing=False)
        self.untracked(ResourceKind.FLAVOR, flavor.id)


class CreateAndListFlavorAccess(FlavorScenario):
    """Create a private flavor, then list who has access to it."""

    name: ClassVar[str] = "NovaFlavors.create_and_list_flavor_access"
    Config = FlavorArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, FlavorArgs)
        flavor = self._create_flavor(cfg, is_public=False)  # access lists need a private one
        with self.action("nova.list_flavor_access"):
            self.admin_compute.get_flavor_access(flavor.id)


class CreateFlavorAndAddTenantAccess(FlavorScenario):
    """Create a flavor, then give the iteration's tenant access to it."""

    name: ClassVar[str] = "NovaFlavors.create_flavor_and_add_tenant_access"
    Config = FlavorArgs

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, FlavorArgs)
        flavor = self._create_flavor(cfg)
        with self.action("nova.add_tenant_access"):
            self.admin_compute.flavor_add_tenant_access(flavor.id, self.tenant.id)


class CreateFlavorAndSetKeys(FlavorScenario):
    """Create a flavor, then set its extra specs."""

    name: ClassVar[str] = "NovaFlavors.create_flavor_and_set_keys"

    class Config(FlavorArgs):
        extra_specs: dict[str, str]

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, CreateFlavorAndSetKeys.Config)
        flavor = self._create_flavor(cfg)
        with self.action("nova.set_flavor_keys"):
            updated = self.admin_compute.create_flavor_extra_specs(flavor, cfg.extra_specs)
        specs = getattr(updated, "extra_specs", None) or {}
        if any(specs.get(k) != v for k, v in cfg.extra_specs.items()):
            raise CloudError(f"flavor {flavor.id} extra specs are {specs}, not {cfg.extra_specs}")
