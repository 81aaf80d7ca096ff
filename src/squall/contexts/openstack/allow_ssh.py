"""``allow_ssh``: a security group per tenant open to SSH and ping (Rally's ``allow_ssh``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel

from squall.contexts.openstack._base import OpenStackContext
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind
from squall.openstack.quota import EGRESS_RULES
from squall.openstack.tenants import Tenant

RULES = (
    {"protocol": "tcp", "port_range_min": 22, "port_range_max": 22},
    {"protocol": "icmp"},
)


class AllowSSHContext(OpenStackContext):
    """Create a security group allowing SSH (tcp/22) and ICMP from anywhere in every tenant;
    servers booted in the tenant join it."""

    name: ClassVar[str] = "allow_ssh"
    order: ClassVar[int] = 320

    @classmethod
    def quota_use(cls, config: BaseModel) -> dict[str, dict[str, int]]:
        """The group, neutron's egress rules and the SSH and ICMP rules."""
        rules = EGRESS_RULES + len(RULES)
        return {"neutron": {"security_groups": 1, "security_group_rules": rules}}

    def setup(self) -> None:
        self.concurrently(self._group, self.users.tenants)

    def _group(self, tenant: Tenant) -> None:
        net = self.admin.network
        group = self.create(
            ResourceKind.SECURITY_GROUP,
            lambda name: net.create_security_group(
                name=name, project_id=tenant.id, description="squall allow_ssh"
            ),
            project_id=tenant.id,
        )
        with cloud_errors("neutron.create_security_group_rule"):
            for rule in RULES:
                net.create_security_group_rule(
                    security_group_id=group.id,
                    project_id=tenant.id,
                    direction="ingress",
                    ethertype="IPv4",
                    remote_ip_prefix="0.0.0.0/0",
                    **rule,
                )
        tenant.security_group = str(group.name)
