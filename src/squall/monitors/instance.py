"""Can instances be reached? ICMP ping or a TCP connect, per address."""

from __future__ import annotations

import socket
import subprocess
from functools import partial
from typing import ClassVar

from pydantic import Field, model_validator

from squall.errors import FaultError
from squall.monitors.base import Monitor, MonitorConfig, Probe, timed


class InstanceConfig(MonitorConfig):
    ping: list[str] = Field(default_factory=list, description="addresses to ping")
    tcp: list[str] = Field(default_factory=list, description="host:port to connect to")
    netns: str | None = Field(None, description="ping from inside this network namespace")
    timeout: float = Field(1.0, gt=0, description="seconds per probe")

    @model_validator(mode="after")
    def _something(self) -> InstanceConfig:
        if not self.ping and not self.tcp:
            raise ValueError("give addresses under ping or host:port under tcp")
        return self


class InstanceMonitor(Monitor):
    """One ICMP echo (``ping -c 1``, optionally from a namespace) or one TCP connect
    per target and sample; the latency is the whole probe's."""

    name: ClassVar[str] = "instance"
    Config: ClassVar = InstanceConfig

    @property
    def cfg(self) -> InstanceConfig:
        assert isinstance(self.config, InstanceConfig)
        return self.config

    def ping_argv(self, address: str) -> list[str]:
        argv = ["ping", "-n", "-q", "-c", "1", "-W", f"{self.cfg.timeout:g}", address]
        return ["ip", "netns", "exec", self.cfg.netns, *argv] if self.cfg.netns else argv

    def _ping(self, address: str) -> None:
        argv = self.ping_argv(address)
        proc = subprocess.run(argv, capture_output=True, timeout=self.cfg.timeout + 5, check=False)
        if proc.returncode != 0:
            raise FaultError(f"no answer from {address}")

    def _connect(self, target: str) -> None:
        host, _, port = target.rpartition(":")
        with socket.create_connection((host.strip("[]"), int(port)), timeout=self.cfg.timeout):
            pass

    def sample(self) -> list[Probe]:
        probes = [timed(f"ping:{a}", partial(self._ping, a)) for a in self.cfg.ping]
        probes += [timed(f"tcp:{t}", partial(self._connect, t)) for t in self.cfg.tcp]
        return probes
