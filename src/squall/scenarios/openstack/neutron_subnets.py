"""NeutronSubnets.*: delete the subnets the ``network`` context made, one per user."""

from __future__ import annotations

from typing import ClassVar

from squall.errors import ConfigError
from squall.scenarios.openstack._neutron import NeutronScenario
from squall.scenarios.openstack.base import OpenStackArgs


class DeleteSubnets(NeutronScenario):
    """Each user deletes "their" subnet of every context network: the subnet at their
    position among the tenant's users (``subnets_per_network`` must cover the users)."""

    name: ClassVar[str] = "NeutronSubnets.delete_subnets"
    Config = OpenStackArgs

    def run(self) -> None:
        position = [u.id for u in self.tenant.users].index(self.user.id)
        for network in self.tenant.networks:
            if position >= len(network.subnets):
                raise ConfigError(
                    f"network {network.id} has {len(network.subnets)} subnet(s) for "
                    f"{len(self.tenant.users)} users",
                    hint="set the network context's subnets_per_network to users_per_tenant",
                )
            self._delete_subnet(network.subnets[position])
