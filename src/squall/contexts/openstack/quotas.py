"""``quotas``: set nova, neutron and cinder quotas of every tenant (-1 = unlimited).

Quotas of projects the ``users`` context created are reverted to the defaults at
cleanup (the projects are deleted right after); existing projects keep theirs.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.contexts.openstack._base import OpenStackContext
from squall.openstack.errors import cloud_errors
from squall.openstack.tenants import Tenant


class QuotasContext(OpenStackContext):
    """Set quotas per service for every tenant of the workload."""

    name: ClassVar[str] = "quotas"
    order: ClassVar[int] = 300

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")
        nova: dict[str, int] = Field(default_factory=dict)
        neutron: dict[str, int] = Field(default_factory=dict)
        cinder: dict[str, int] = Field(default_factory=dict)

    @property
    def cfg(self) -> QuotasContext.Config:
        assert isinstance(self.config, QuotasContext.Config)
        return self.config

    def setup(self) -> None:
        self.concurrently(self._apply, self.users.tenants)

    def _apply(self, tenant: Tenant) -> None:
        conn, cfg = self.admin, self.cfg
        if cfg.nova:
            with cloud_errors("nova.update_quotas"):
                conn.compute.update_quota_set(tenant.id, **cfg.nova)
        if cfg.neutron:
            with cloud_errors("neutron.update_quota"):
                conn.network.update_quota(tenant.id, **cfg.neutron)
        if cfg.cinder:
            with cloud_errors("cinder.update_quotas"):
                conn.block_storage.update_quota_set(tenant.id, **cfg.cinder)

    def cleanup(self) -> None:
        self.concurrently(self._revert, [t for t in self.users.tenants if t.created])

    def _revert(self, tenant: Tenant) -> None:
        conn: Any = self.admin
        cfg = self.cfg
        with cloud_errors("revert quotas"):
            if cfg.nova:
                conn.compute.revert_quota_set(tenant.id)
            if cfg.neutron:
                conn.network.delete_quota(tenant.id)
            if cfg.cinder:
                conn.block_storage.revert_quota_set(tenant.id)
