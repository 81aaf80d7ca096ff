"""The typed objects OpenStack contexts put into a workload's ScenarioContext.

``Users`` (from the ``users`` context, existing users, or the admin) holds the
tenants; later contexts (network, keypair, servers, volumes...) fill each
tenant's lists during setup; iterations only read them. Flavors made by the
``flavors`` context are global and live in ``Flavors``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from squall.openstack.session import UserSession


@dataclass
class CloudUser:
    """One user iterations act as."""

    session: UserSession
    id: str
    project_id: str
    #: name of this user's keypair (``keypair`` context)
    keypair: str | None = None
    #: True when squall created the user (``users`` context), False for existing users
    created: bool = False


@dataclass
class NetworkInfo:
    id: str
    name: str
    subnets: list[str] = field(default_factory=list)
    router_id: str | None = None


@dataclass
class Tenant:
    """One project and what contexts prepared in it."""

    id: str
    name: str
    users: list[CloudUser] = field(default_factory=list)
    networks: list[NetworkInfo] = field(default_factory=list)
    security_group: str | None = None  # id of the ``allow_ssh`` group
    images: list[str] = field(default_factory=list)
    servers: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    volume_types: list[str] = field(default_factory=list)
    created: bool = False


@dataclass
class Users:
    """The tenants and users of a workload, and how iterations pick among them."""

    tenants: list[Tenant]
    choice: str = "random"  # Rally's user_choice_method: random | round_robin

    @property
    def all_users(self) -> list[CloudUser]:
        return [u for t in self.tenants for u in t.users]

    def pick(self, iteration: int) -> tuple[CloudUser, Tenant]:
        """The user (and their tenant) iteration ``iteration`` (1-based) acts as.

        ``round_robin`` walks the tenants by iteration number and, within a tenant,
        its users in turn (as Rally does); ``random`` picks any user.
        """
        tenants = [t for t in self.tenants if t.users]
        if not tenants:
            raise LookupError("no users are available to run iterations")
        if self.choice == "round_robin":
            index = max(iteration - 1, 0)
            tenant = tenants[index % len(tenants)]
            user = tenant.users[(index // len(tenants)) % len(tenant.users)]
            return user, tenant
        pairs = [(u, t) for t in tenants for u in t.users]
        return random.choice(pairs)

    def tenant_of(self, project_id: str) -> Tenant | None:
        return next((t for t in self.tenants if t.id == project_id), None)


@dataclass
class Flavors:
    """Flavors created by the ``flavors`` context: name -> id."""

    by_name: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NetworkingAgent:
    """One neutron agent as the ``networking_agents`` context saw it."""

    host: str
    agent_type: str
    alive: bool
    admin_state_up: bool


@dataclass
class NetworkingAgents:
    """Neutron's agents, listed once per workload (``networking_agents`` context)."""

    agents: list[NetworkingAgent] = field(default_factory=list)
