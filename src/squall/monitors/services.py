"""Do the clouds' own service lists say up? nova services, neutron agents, cinder services."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from squall.monitors._openstack import CLOUD_HELP, open_session
from squall.monitors.base import Monitor, MonitorConfig, Probe
from squall.openstack.session import UserSession

Source = Literal["nova", "neutron", "cinder"]
SOURCES: tuple[Source, ...] = ("nova", "neutron", "cinder")


class ServicesConfig(MonitorConfig):
    period: float = Field(2.0, ge=0.5)
    sources: list[Source] = Field(default_factory=lambda: list(SOURCES))
    cloud: str | None = Field(None, description=CLOUD_HELP)


def service_probe(source: str, item: Any) -> Probe:
    """One target per service or agent: up and enabled (services) or alive (agents)."""
    if source == "neutron":
        target = f"neutron:{item.agent_type}@{item.host}"
        ok = bool(item.is_alive) and bool(getattr(item, "is_admin_state_up", True))
        return Probe(target, ok, detail="" if ok else "agent not alive")
    target = f"{source}:{item.binary}@{item.host}"
    ok = item.state == "up" and item.status == "enabled"
    return Probe(target, ok, detail="" if ok else f"{item.state}/{item.status}")


class ServicesMonitor(Monitor):
    """``nova service list``, ``neutron agent list`` and ``cinder service list`` each
    period: one target per service (down or disabled fails it); a list that cannot be
    read is one failed ``<source>:list`` target."""

    name: ClassVar[str] = "services"
    Config: ClassVar = ServicesConfig

    def __init__(self, config: Any, env: Any = None) -> None:
        super().__init__(config, env)
        self._session: UserSession | None = None

    def start(self) -> None:
        cfg = self.config
        assert isinstance(cfg, ServicesConfig)
        self._session = open_session(cfg.cloud, self.env)

    def stop(self) -> None:
        if self._session is not None:
            self._session.close()

    def sample(self) -> list[Probe]:
        cfg = self.config
        assert isinstance(cfg, ServicesConfig) and self._session is not None
        conn = self._session.conn
        listers = {
            "nova": lambda: conn.compute.services(),
            "neutron": lambda: conn.network.agents(),
            "cinder": lambda: conn.block_storage.services(),
        }
        probes = []
        for source in cfg.sources:
            try:
                items = list(listers[source]())
            except Exception as exc:  # the API itself is down: one failed target
                probes.append(Probe(f"{source}:list", False, detail=f"{type(exc).__name__}: {exc}"))
                continue
            probes.append(Probe(f"{source}:list", True))
            probes += [service_probe(source, item) for item in items]
        return probes
