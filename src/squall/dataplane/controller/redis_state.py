"""Controller state in Redis, so that a restarted controller loses no agent and no result.

Keys, all under ``squall:dp:<run>:``: ``agents`` (hash id -> AgentRecord JSON),
``cmd:<agent>`` (list of queued Command JSON), ``rep:<command>`` (list of Report JSON),
``meta`` (hash key -> JSON). Every key expires ``ttl`` seconds after its last write
(default a week), so an abandoned run does not stay in Redis for ever.
"""

from __future__ import annotations

import json
from typing import Any

from squall.dataplane.controller.state import AgentRecord, Command, Report, StateBackend
from squall.errors import AgentError

DEFAULT_TTL = 7 * 24 * 3600


class RedisState(StateBackend):
    def __init__(self, url: str, run: str, *, ttl: int = DEFAULT_TTL) -> None:
        self.url = url
        self.prefix = f"squall:dp:{run}:"
        self.ttl = ttl
        self._redis: Any = None

    async def open(self) -> None:
        try:
            import redis.asyncio as aioredis
            from redis.exceptions import RedisError
        except ImportError as exc:
            raise AgentError(
                "the Redis state backend needs the 'redis' package",
                hint="pip install 'squall[dataplane]'",
            ) from exc
        client = aioredis.from_url(self.url)
        try:
            await client.ping()
        except (RedisError, OSError) as exc:
            await client.aclose()
            raise AgentError(
                f"cannot reach Redis at {_safe(self.url)}: {exc}",
                hint="check --redis, or leave it out to keep the controller state in memory",
            ) from exc
        self._redis = client

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    @property
    def _r(self) -> Any:
        if self._redis is None:
            raise AgentError("the Redis state backend is not open")
        return self._redis

    async def _touch(self, pipe: Any, key: str) -> None:
        pipe.expire(key, self.ttl)

    async def put_agent(self, agent: AgentRecord) -> None:
        key = self.prefix + "agents"
        async with self._r.pipeline(transaction=False) as pipe:
            pipe.hset(key, agent.id, agent.to_json())
            await self._touch(pipe, key)
            await pipe.execute()

    async def agents(self) -> dict[str, AgentRecord]:
        raw = await self._r.hgetall(self.prefix + "agents")
        return {k.decode(): AgentRecord.from_json(v) for k, v in raw.items()}

    async def get_agent(self, agent: str) -> AgentRecord | None:
        raw = await self._r.hget(self.prefix + "agents", agent)
        return AgentRecord.from_json(raw) if raw is not None else None

    async def push_commands(self, agent: str, commands: list[Command]) -> None:
        if not commands:
            return
        key = f"{self.prefix}cmd:{agent}"
        async with self._r.pipeline(transaction=False) as pipe:
            pipe.rpush(key, *(c.to_json() for c in commands))
            await self._touch(pipe, key)
            await pipe.execute()

    async def take_commands(self, agent: str) -> list[Command]:
        key = f"{self.prefix}cmd:{agent}"
        async with self._r.pipeline(transaction=True) as pipe:
            pipe.lrange(key, 0, -1)
            pipe.delete(key)
            items, _ = await pipe.execute()
        return [Command.from_json(item) for item in items]

    async def add_report(self, report: Report) -> None:
        key = f"{self.prefix}rep:{report.command}"
        async with self._r.pipeline(transaction=False) as pipe:
            pipe.rpush(key, report.to_json())
            await self._touch(pipe, key)
            await pipe.execute()

    async def reports(self, command: str) -> list[Report]:
        items = await self._r.lrange(f"{self.prefix}rep:{command}", 0, -1)
        return [Report.from_json(item) for item in items]

    async def put_meta(self, key: str, value: dict[str, Any]) -> None:
        name = self.prefix + "meta"
        async with self._r.pipeline(transaction=False) as pipe:
            pipe.hset(name, key, json.dumps(value))
            await self._touch(pipe, name)
            await pipe.execute()

    async def get_meta(self, key: str) -> dict[str, Any] | None:
        raw = await self._r.hget(self.prefix + "meta", key)
        if raw is None:
            return None
        value: dict[str, Any] = json.loads(raw)
        return value

    async def drop(self) -> None:
        """Delete every key of this run."""
        keys = [key async for key in self._r.scan_iter(match=self.prefix + "*", count=500)]
        if keys:
            await self._r.delete(*keys)


def _safe(url: str) -> str:
    """The URL without a password."""
    if "@" in url:
        scheme, _, rest = url.partition("://")
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url
