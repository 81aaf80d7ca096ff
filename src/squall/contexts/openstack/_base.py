"""The base of every OpenStack context: the cloud, names, journal, concurrency.

An OpenStack context implements ``setup()``; everything it creates goes through
``create()`` (journaled under the context's own scope before the create call),
so the default ``cleanup()`` deletes exactly what setup created, in dependency
order, even when setup failed half-way or the process was killed (then
``squall cleanup --run ID`` does it from the same journal rows).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from pydantic import BaseModel

from squall.contexts.base import Context
from squall.errors import CloudError
from squall.openstack.cleanup import Cleaner, plan
from squall.openstack.cloud import OpenStackEnv, workload_scope
from squall.openstack.journal import ResourceKind, Tracker
from squall.openstack.naming import NameGenerator
from squall.openstack.tenants import Users
from squall.openstack.tracked import tracked
from squall.scenarios.base import ScenarioContext
from squall.scenarios.openstack.base import default_users

T = TypeVar("T")
R = TypeVar("R")
WORKERS = 8


class OpenStackContext(Context):
    """A context that creates resources in the workload's cloud."""

    def __init__(self, config: BaseModel, context: ScenarioContext) -> None:
        super().__init__(config, context)
        self.env = context.require(OpenStackEnv)
        self.names = NameGenerator(context.run_id)
        self.scope = f"{self.name}:{workload_scope(context)}"
        self.tracker: Tracker = self.env.tracker(context.run_id, scope=self.scope)

    @classmethod
    def quota_use(cls, config: BaseModel) -> dict[str, dict[str, int]]:
        """Quota resources this context creates in every tenant, by service
        (``{"cinder": {"volumes": 2}}``); preflight adds them to the scenario's."""
        return {}

    @classmethod
    def for_cloud(cls, config: BaseModel, conn: Any) -> BaseModel:
        """``config`` as setup will act on it in the cloud ``conn`` reaches, with what it
        looks up there filled in (preflight counts ``quota_use`` of it); as it is unless
        the context says otherwise."""
        return config

    @property
    def admin(self) -> Any:
        """The admin's authenticated connection to the primary cloud."""
        return self.env.admin().conn

    @property
    def users(self) -> Users:
        """The workload's users (the ``users`` context's, or existing users / admin)."""
        users = self.context.get(Users)
        if users is None:
            users = default_users(self.env)
            self.context.put(users)
        return users

    def concurrently(
        self, fn: Callable[[T], R], items: Iterable[T], workers: int = WORKERS
    ) -> list[R]:
        """``fn`` over ``items`` on a few threads; raises the first error after all ended."""
        work = list(items)
        if not work:
            return []
        with ThreadPoolExecutor(max(1, min(workers, len(work))), "squall-ctx") as pool:
            futures = [pool.submit(fn, item) for item in work]
        errors = [f.exception() for f in futures if f.exception() is not None]
        if errors:
            first = errors[0]
            assert first is not None
            raise first
        return [f.result() for f in futures]

    def create(
        self,
        kind: ResourceKind,
        create: Callable[[str], T],
        *,
        name: str | None = None,
        project_id: str | None = None,
        parent_id: str | None = None,
        resource_id: Callable[[T], str] = lambda r: str(getattr(r, "id", "")),
    ) -> T:
        """Journal, then call ``create(name)`` (errors translated), then complete the row."""
        return tracked(
            self.tracker,
            kind,
            name or self.names(),
            create,
            project_id=project_id,
            parent_id=parent_id,
            resource_id=resource_id,
        )

    @abstractmethod
    def setup(self) -> None:
        """Create what the workload needs (every OpenStack context says what)."""

    def cleanup(self) -> None:
        """Delete what this context created (its journal rows), in dependency order."""
        entries = [
            e for e in self.env.journal.entries(self.context.run_id) if e.scope == self.scope
        ]
        if not entries:
            return
        report = Cleaner(self.admin, self.env.journal).run(plan(entries, []))
        if report.failed:
            lines = "; ".join(f"{item.describe()}: {error}" for item, error in report.failed)
            raise CloudError(
                f"{self.name}: {len(report.failed)} resource(s) not deleted: {lines}",
                hint=f"run `squall cleanup --run {self.context.run_id}`",
            )
