"""What a controller remembers, and where: in memory (default) or in Redis.

The backend holds registered agents, each agent's queue of commands not yet fetched,
and every final report received. With Redis, a controller restarted with the same run id and
URL finds all of it again. The asyncio events that wake long polls stay in the process.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class AgentRecord:
    """One agent as the controller knows it. Times are the controller's wall clock."""

    id: str
    hostname: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    tools: dict[str, bool] = field(default_factory=dict)
    pid: int = 0
    registered_at: float = 0.0
    last_seen: float = 0.0
    offset: float = 0.0  # agent-measured: controller clock - agent clock
    delay: float = 0.0  # round trip of the best clock exchange
    status: str = "registered"  # registered | lost | exited

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> AgentRecord:
        return cls(**json.loads(text))


@dataclass
class Command:
    """One thing for one agent to do; ``wire()`` is what the agent receives."""

    id: str
    agent: str
    op: str
    start_at: float | None = None
    argv: list[str] | None = None
    spec: dict[str, Any] | None = None
    assets: list[str] | None = None
    timeout: float = 600.0
    report_interval: float | None = None  # the agent reports new output this often

    def wire(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "op": self.op, "timeout": self.timeout}
        if self.start_at is not None:
            data["start_at"] = self.start_at
        if self.argv is not None:
            data["argv"] = self.argv
        if self.spec is not None:
            data["spec"] = self.spec
        if self.assets:
            data["assets"] = self.assets
        if self.report_interval is not None:
            data["report_interval"] = self.report_interval
        return data

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Command:
        return cls(**json.loads(text))


@dataclass
class Report:
    """One result message: an interim interval (``final`` false) or the outcome."""

    command: str
    agent: str
    final: bool
    status: str
    received_at: float
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Report:
        return cls(**json.loads(text))


class StateBackend(ABC):
    """Storage of one run's controller state."""

    async def open(self) -> None:  # noqa: B027 - optional hook
        """Connect (Redis); nothing for memory."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Disconnect."""

    @abstractmethod
    async def put_agent(self, agent: AgentRecord) -> None: ...

    @abstractmethod
    async def agents(self) -> dict[str, AgentRecord]: ...

    @abstractmethod
    async def get_agent(self, agent: str) -> AgentRecord | None: ...

    @abstractmethod
    async def push_commands(self, agent: str, commands: list[Command]) -> None: ...

    @abstractmethod
    async def take_commands(self, agent: str) -> list[Command]: ...

    @abstractmethod
    async def add_report(self, report: Report) -> None: ...

    @abstractmethod
    async def reports(self, command: str) -> list[Report]: ...

    @abstractmethod
    async def put_meta(self, key: str, value: dict[str, Any]) -> None: ...

    @abstractmethod
    async def get_meta(self, key: str) -> dict[str, Any] | None: ...


class MemoryState(StateBackend):
    """Everything in this process: lost when the controller stops."""

    def __init__(self) -> None:
        self._agents: dict[str, AgentRecord] = {}
        self._queues: dict[str, list[Command]] = {}
        self._reports: dict[str, list[Report]] = {}
        self._meta: dict[str, dict[str, Any]] = {}

    async def put_agent(self, agent: AgentRecord) -> None:
        self._agents[agent.id] = agent

    async def agents(self) -> dict[str, AgentRecord]:
        return dict(self._agents)

    async def get_agent(self, agent: str) -> AgentRecord | None:
        return self._agents.get(agent)

    async def push_commands(self, agent: str, commands: list[Command]) -> None:
        self._queues.setdefault(agent, []).extend(commands)

    async def take_commands(self, agent: str) -> list[Command]:
        return self._queues.pop(agent, [])

    async def add_report(self, report: Report) -> None:
        self._reports.setdefault(report.command, []).append(report)

    async def reports(self, command: str) -> list[Report]:
        return list(self._reports.get(command, []))

    async def put_meta(self, key: str, value: dict[str, Any]) -> None:
        self._meta[key] = value

    async def get_meta(self, key: str) -> dict[str, Any] | None:
        return self._meta.get(key)
