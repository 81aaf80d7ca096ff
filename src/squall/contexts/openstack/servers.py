"""``servers``: servers booted in every tenant before the load (Rally's ``servers``)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.contexts.openstack._base import OpenStackContext
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind
from squall.openstack.lookup import ResourceSpec, find_flavor, find_image
from squall.openstack.naming import run_tag
from squall.openstack.tenants import Tenant
from squall.openstack.waiters import resolve, wait_for_status


class ServersContext(OpenStackContext):
    """Boot ``servers_per_tenant`` servers per tenant and wait until ACTIVE."""

    name: ClassVar[str] = "servers"
    order: ClassVar[int] = 430

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")
        image: ResourceSpec
        flavor: ResourceSpec
        servers_per_tenant: int = Field(5, ge=1)
        auto_assign_nic: bool = False
        nics: list[dict[str, str]] | None = None

    @property
    def cfg(self) -> ServersContext.Config:
        assert isinstance(self.config, ServersContext.Config)
        return self.config

    def setup(self) -> None:
        admin = self.admin
        self._image = find_image(admin, self.cfg.image)
        self._flavor = find_flavor(admin, self.cfg.flavor)
        slots = [t for t in self.users.tenants for _ in range(self.cfg.servers_per_tenant)]
        made = self.concurrently(self._server, slots)
        for tenant, server_id in zip(slots, made, strict=True):
            tenant.servers.append(server_id)

    def _networks(self, tenant: Tenant) -> Any:
        if self.cfg.nics:
            return [{"uuid": nic.get("net-id", nic.get("uuid", ""))} for nic in self.cfg.nics]
        if tenant.networks:
            return [{"uuid": tenant.networks[0].id}]
        return "auto" if self.cfg.auto_assign_nic else "none"

    def _server(self, tenant: Tenant) -> str:
        conn = tenant.users[0].session.conn if tenant.users else self.admin
        compute = conn.compute
        server = self.create(
            ResourceKind.SERVER,
            lambda name: compute.create_server(
                name=name,
                image_id=self._image,
                flavor_id=self._flavor,
                networks=self._networks(tenant),
                tags=[run_tag(self.context.run_id)],
            ),
            project_id=tenant.id,
        )
        with cloud_errors("wait for server"):
            wait_for_status(
                lambda: compute.get_server(server.id),
                lambda s: str(s.status or ""),
                ("ACTIVE",),
                resolve("nova_server_boot"),
                what=f"server {server.id}",
            )
        return str(server.id)
