"""What a provider does: stage a topology, start one agent per instance, remove it all.

``netns`` does it with network namespaces on this host; ``openstack`` (issue 4's
package) will do it with Nova servers on Neutron networks, agents delivered in
cloud-init user-data, reaching the controller by floating IP or a proxy instance.
Both journal what they create before creating it, so ``squall dataplane cleanup``
works after a crash.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from squall.dataplane.topology import Topology


@dataclass(frozen=True)
class AgentLaunch:
    """What every agent needs to find and trust the controller."""

    controller_url: str
    run: str
    secret_file: Path
    bundle: Path
    register_timeout: float


class Provider(ABC):
    """One run's staged instances."""

    name: str = ""

    @abstractmethod
    def preflight(self, topology: Topology, tools: set[str]) -> None:
        """Raise ``ConfigError`` before anything is created if the plan cannot be staged."""

    @abstractmethod
    def stage(self, topology: Topology) -> None:
        """Create networks, routers, floating IPs and instances."""

    @abstractmethod
    def start_agents(self, topology: Topology, launch: AgentLaunch) -> None:
        """Start one agent per instance (they register with the controller themselves)."""

    @abstractmethod
    def host_of(self, instance: str) -> str:
        """The host (hypervisor, or namespace on netns) an instance runs on."""

    @abstractmethod
    def kill_agent(self, instance: str) -> None:
        """Stop one agent abruptly (fault injection and tests)."""

    @abstractmethod
    def teardown(self) -> None:
        """Remove everything staged, processes first; idempotent."""

    def controller_unix_socket(self, run_dir: Path) -> Path | None:
        """A unix socket path agents can reach (netns), or None (TCP only)."""
        return None
