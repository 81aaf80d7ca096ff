"""Quotas.*: update, get and delete nova, cinder and neutron quotas of the tenant.

Rally's names, arguments and atomic names (``quotas.update_quotas`` ...). Updates set
every quota to a random value in ``[-1, max_quota]``, as Rally does. They act only on
tenants squall created (the ``users`` context): randomising the quotas of an existing
project would change a real project's limits.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from pydantic import Field

from squall.errors import ConfigError
from squall.scenarios.openstack.base import OpenStackArgs, OpenStackScenario

QUOTA_KEYS = {
    "nova": (
        "metadata_items",
        "key_pairs",
        "injected_file_content_bytes",
        "injected_file_path_bytes",
        "ram",
        "instances",
        "injected_files",
        "cores",
    ),
    "cinder": ("volumes", "snapshots", "gigabytes"),
    "neutron": (
        "network",
        "subnet",
        "port",
        "router",
        "floatingip",
        "security_group",
        "security_group_rule",
    ),
}


def random_quotas(component: str, max_quota: int) -> dict[str, int]:
    """Rally's quota values: each key drawn from ``[-1, max_quota]`` (pure but random)."""
    return {key: random.randint(-1, max_quota) for key in QUOTA_KEYS[component]}


class _MaxQuota(OpenStackArgs):
    max_quota: int = Field(1024, ge=0)


class QuotasScenario(OpenStackScenario):
    """Quota calls as the admin, on the iteration's tenant."""

    needs_admin: ClassVar[bool] = True
    component: ClassVar[str]

    def _project(self) -> str:
        if not self.tenant.created:
            raise ConfigError(
                f"{self.name} changes the quotas of its tenant and runs only on tenants "
                "squall created",
                hint="add the `users` context",
            )
        return self.tenant.id

    def _update(self, max_quota: int) -> None:
        project = self._project()
        values = random_quotas(self.component, max_quota)
        conn = self.admin_clients
        with self.action("quotas.update_quotas"):
            if self.component == "nova":
                conn.compute.update_quota_set(project, **values)
            elif self.component == "cinder":
                conn.block_storage.update_quota_set(project, **values)
            else:
                conn.network.put(f"/quotas/{project}", json={"quota": values}, raise_exc=True)

    def _delete(self) -> None:
        project = self._project()
        conn = self.admin_clients
        with self.action("quotas.delete_quotas"):
            if self.component == "nova":
                conn.compute.revert_quota_set(project)
            else:
                conn.block_storage.revert_quota_set(project)

    def _get(self) -> Any:
        project = self._project()
        conn = self.admin_clients
        with self.action("quotas.get_quotas"):
            if self.component == "nova":
                return conn.compute.get_quota_set(project)
            return conn.block_storage.get_quota_set(project)


class NovaUpdate(QuotasScenario):
    """Set the tenant's nova quotas to random values."""

    name: ClassVar[str] = "Quotas.nova_update"
    services: ClassVar[tuple[str, ...]] = ("compute",)
    component: ClassVar[str] = "nova"
    Config = _MaxQuota

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, _MaxQuota)
        self._update(cfg.max_quota)


class NovaUpdateAndDelete(NovaUpdate):
    """Set the tenant's nova quotas to random values, then reset them."""

    name: ClassVar[str] = "Quotas.nova_update_and_delete"

    def run(self) -> None:
        super().run()
        self._delete()


class NovaGet(QuotasScenario):
    """Show the tenant's nova quotas."""

    name: ClassVar[str] = "Quotas.nova_get"
    services: ClassVar[tuple[str, ...]] = ("compute",)
    component: ClassVar[str] = "nova"

    def run(self) -> None:
        self._get()


class CinderUpdate(NovaUpdate):
    """Set the tenant's cinder quotas to random values."""

    name: ClassVar[str] = "Quotas.cinder_update"
    services: ClassVar[tuple[str, ...]] = ("block-storage",)
    component: ClassVar[str] = "cinder"


class CinderUpdateAndDelete(NovaUpdateAndDelete):
    """Set the tenant's cinder quotas to random values, then reset them."""

    name: ClassVar[str] = "Quotas.cinder_update_and_delete"
    services: ClassVar[tuple[str, ...]] = ("block-storage",)
    component: ClassVar[str] = "cinder"


class CinderGet(NovaGet):
    """Show the tenant's cinder quotas."""

    name: ClassVar[str] = "Quotas.cinder_get"
    services: ClassVar[tuple[str, ...]] = ("block-storage",)
    component: ClassVar[str] = "cinder"


class NeutronUpdate(NovaUpdate):
    """Set the tenant's neutron quotas to random values."""

    name: ClassVar[str] = "Quotas.neutron_update"
    services: ClassVar[tuple[str, ...]] = ("network",)
    component: ClassVar[str] = "neutron"
