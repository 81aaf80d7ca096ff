"""``flavors``: flavors created for the workload under the names given (Rally's ``flavors``)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, RootModel

from squall.contexts.openstack._base import OpenStackContext
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind
from squall.openstack.tenants import Flavors


class FlavorSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    ram: int = Field(ge=1, description="MiB")
    vcpus: int = Field(1, ge=1)
    disk: int = Field(0, ge=0, description="GiB")
    swap: int = Field(0, ge=0)
    ephemeral: int = Field(0, ge=0)
    extra_specs: dict[str, str] = Field(default_factory=dict)


class FlavorsContext(OpenStackContext):
    """Create the listed flavors (public), and delete them afterwards."""

    name: ClassVar[str] = "flavors"
    order: ClassVar[int] = 340

    class Config(RootModel[list[FlavorSpec]]):
        pass

    def setup(self) -> None:
        assert isinstance(self.config, FlavorsContext.Config)
        made = self.concurrently(self._flavor, self.config.root)
        self.context.put(Flavors(by_name={str(f.name): str(f.id) for f in made}))

    def _flavor(self, spec: FlavorSpec) -> Any:
        compute = self.admin.compute
        flavor = self.create(
            ResourceKind.FLAVOR,
            lambda name: compute.create_flavor(
                name=name,
                ram=spec.ram,
                vcpus=spec.vcpus,
                disk=spec.disk,
                swap=spec.swap,
                ephemeral=spec.ephemeral,
                is_public=True,
            ),
            name=spec.name,
        )
        if spec.extra_specs:
            with cloud_errors("nova.create_flavor_extra_specs"):
                compute.create_flavor_extra_specs(flavor, spec.extra_specs)
        return flavor
