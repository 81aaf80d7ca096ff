"""``volume_types``: cinder volume types created under the names given (Rally's)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import RootModel

from squall.contexts.openstack._base import OpenStackContext
from squall.openstack.journal import ResourceKind


class VolumeTypesContext(OpenStackContext):
    """Create the listed volume types; every tenant may use them."""

    name: ClassVar[str] = "volume_types"
    order: ClassVar[int] = 410

    class Config(RootModel[list[str]]):
        pass

    def setup(self) -> None:
        assert isinstance(self.config, VolumeTypesContext.Config)
        storage = self.admin.block_storage
        made = self.concurrently(
            lambda wanted: self.create(
                ResourceKind.VOLUME_TYPE, lambda name: storage.create_type(name=name), name=wanted
            ),
            self.config.root,
        )
        names = [str(t.name) for t in made]
        for tenant in self.users.tenants:
            tenant.volume_types.extend(names)
