"""``volumes``: cinder volumes in every tenant (Rally's ``size``, ``type``,
``volumes_per_tenant``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.contexts.openstack._base import OpenStackContext
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind
from squall.openstack.tenants import Tenant
from squall.openstack.waiters import resolve, wait_for_status


class VolumesContext(OpenStackContext):
    """Create ``volumes_per_tenant`` volumes per tenant and wait until available."""

    name: ClassVar[str] = "volumes"
    order: ClassVar[int] = 420

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")
        size: int = Field(1, ge=1, description="GiB")
        type: str | None = None
        volumes_per_tenant: int = Field(1, ge=1)

    @classmethod
    def quota_use(cls, config: BaseModel) -> dict[str, dict[str, int]]:
        assert isinstance(config, VolumesContext.Config)
        count = config.volumes_per_tenant
        return {"cinder": {"volumes": count, "gigabytes": count * config.size}}

    @property
    def cfg(self) -> VolumesContext.Config:
        assert isinstance(self.config, VolumesContext.Config)
        return self.config

    def setup(self) -> None:
        slots = [t for t in self.users.tenants for _ in range(self.cfg.volumes_per_tenant)]
        made = self.concurrently(self._volume, slots)
        for tenant, volume_id in zip(slots, made, strict=True):
            tenant.volumes.append(volume_id)

    def _volume(self, tenant: Tenant) -> str:
        conn = tenant.users[0].session.conn if tenant.users else self.admin
        storage = conn.block_storage
        volume = self.create(
            ResourceKind.VOLUME,
            lambda name: storage.create_volume(
                name=name, size=self.cfg.size, volume_type=self.cfg.type
            ),
            project_id=tenant.id,
        )
        with cloud_errors("wait for volume"):
            wait_for_status(
                lambda: storage.get_volume(volume.id),
                lambda v: str(v.status or ""),
                ("available",),
                resolve("cinder_volume_create"),
                failure=("error",),
                what=f"volume {volume.id}",
            )
        return str(volume.id)
