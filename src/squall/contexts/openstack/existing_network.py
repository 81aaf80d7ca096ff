"""``existing_network``: use the networks each tenant already has (Rally's)."""

from __future__ import annotations

from typing import ClassVar

from squall.contexts.openstack._base import OpenStackContext
from squall.openstack.errors import cloud_errors
from squall.openstack.tenants import NetworkInfo, Tenant


class ExistingNetworkContext(OpenStackContext):
    """Give every tenant the networks (and subnets) it owns, so servers boot on them."""

    name: ClassVar[str] = "existing_network"
    order: ClassVar[int] = 349

    def setup(self) -> None:
        self.concurrently(self._networks, self.users.tenants)

    def _networks(self, tenant: Tenant) -> None:
        net = self.admin.network
        with cloud_errors("neutron.list_networks"):
            for network in net.networks(project_id=tenant.id):
                tenant.networks.append(
                    NetworkInfo(
                        id=str(network.id),
                        name=str(network.name or ""),
                        subnets=[str(s) for s in network.subnet_ids or []],
                    )
                )

    def cleanup(self) -> None:
        return None
