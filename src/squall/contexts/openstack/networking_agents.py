"""``networking_agents``: neutron's agents, listed once for the workload (Rally's)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from squall.contexts.openstack._base import OpenStackContext
from squall.openstack.errors import cloud_errors
from squall.openstack.tenants import NetworkingAgent, NetworkingAgents


class NetworkingAgentsContext(OpenStackContext):
    """List neutron's agents (as the admin) for scenarios that bind ports to hosts."""

    name: ClassVar[str] = "networking_agents"
    order: ClassVar[int] = 349

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")

    def setup(self) -> None:
        with cloud_errors("neutron.list_agents"):
            agents = [
                NetworkingAgent(
                    host=str(a.host or ""),
                    agent_type=str(a.agent_type or ""),
                    alive=bool(a.is_alive),
                    admin_state_up=bool(a.is_admin_state_up),
                )
                for a in self.admin.network.agents()
            ]
        self.context.put(NetworkingAgents(agents))

    def cleanup(self) -> None:
        return None  # agents are neutron's, not squall's
