"""Is a process or a systemd unit running on each host? Asked through the host's transport."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ClassVar

from pydantic import Field, model_validator

from squall.hosts.inventory import Host, local_inventory
from squall.hosts.transport import transport_for
from squall.monitors.base import Monitor, MonitorConfig, Probe, timed

#: hosts probed at once
PARALLEL = 32


class HostConfig(MonitorConfig):
    process: str | None = Field(None, description="command-line pattern (pgrep -f)")
    unit: str | None = Field(None, description="systemd unit (systemctl is-active)")
    hosts: list[str] = Field(default_factory=list, description="inventory names (default: all)")
    role: str | None = None
    timeout: float = Field(5.0, gt=0)

    @model_validator(mode="after")
    def _one(self) -> HostConfig:
        if (self.process is None) == (self.unit is None):
            raise ValueError("give one of process or unit")
        return self


class HostMonitor(Monitor):
    """``process`` (``pgrep -f``) or ``unit`` (``systemctl is-active``) on each host;
    one target per host, failed when the command says no or the host does not answer."""

    name: ClassVar[str] = "host"
    Config: ClassVar = HostConfig

    @property
    def cfg(self) -> HostConfig:
        assert isinstance(self.config, HostConfig)
        return self.config

    def hosts(self) -> list[Host]:
        inventory = self.env.inventory or local_inventory()
        cfg = self.cfg
        if cfg.hosts:
            return [inventory.get(name) for name in cfg.hosts]
        return inventory.matching(role=cfg.role)

    def argv(self) -> list[str]:
        cfg = self.cfg
        if cfg.process is not None:
            return ["pgrep", "-f", "--", cfg.process]
        return ["systemctl", "is-active", "--quiet", cfg.unit or ""]

    def sample(self) -> list[Probe]:
        argv, what = self.argv(), self.cfg.process or self.cfg.unit or "?"
        hosts = self.hosts()
        with ThreadPoolExecutor(min(PARALLEL, max(1, len(hosts)))) as pool:
            futures = [
                pool.submit(
                    timed,
                    f"{host.name}:{what}",
                    partial(
                        transport_for(host, self.env.inventory).check,
                        argv,
                        timeout=self.cfg.timeout,
                    ),
                )
                for host in hosts
            ]
            return [f.result() for f in futures]
