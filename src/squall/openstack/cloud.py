"""``OpenStackEnv``: the clouds of a run, put into every workload's ScenarioContext.

The CLI (or any API caller) builds one with ``squall.api.openstack.prepare()``;
contexts and scenarios reach it with ``context.require(OpenStackEnv)``. It owns the
admin sessions (opened once per cloud, on first use), the session cache for
other users, the token keeper and the resource journal.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from squall.errors import ConfigError
from squall.openstack.credentials import CloudSpec, Credential
from squall.openstack.journal import Journal, MemoryJournal, Tracker
from squall.openstack.session import TokenFetch, TokenKeeper, TokenLog, UserSession

if TYPE_CHECKING:
    from squall.openstack.cleanup import CleanupReport
    from squall.scenarios.base import ScenarioContext


@dataclass(frozen=True)
class WorkloadScope:
    """A random token naming one workload's journal rows (its sweep deletes them)."""

    token: str = field(default_factory=lambda: secrets.token_hex(8))


def workload_scope(context: ScenarioContext) -> str:
    """The scope token of the workload ``context`` belongs to (created on first use).

    First used during context setup or by the first iteration's constructor, both
    on one thread, so no two tokens are made for one workload.
    """
    scope = context.get(WorkloadScope)
    if scope is None:
        scope = WorkloadScope()
        context.put(scope)
    return scope.token


@dataclass
class OpenStackEnv:
    """The clouds a run talks to (the first is the primary) and what they share."""

    clouds: list[CloudSpec]
    journal: Journal = field(default_factory=MemoryJournal)
    keeper: TokenKeeper = field(default_factory=TokenKeeper)
    _sessions: dict[tuple[str, str], UserSession] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    #: token logs of closed sessions, kept whole: a renewal already under way when a
    #: session is closed still lands in its log and is counted
    _retired: list[TokenLog] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.clouds:
            raise ConfigError("no cloud given", hint="pass --cloud NAME or set OS_CLOUD / OS_*")

    @property
    def primary(self) -> CloudSpec:
        return self.clouds[0]

    def cloud(self, label: str | None = None) -> CloudSpec:
        """The cloud called ``label`` (``name`` or ``name/region``); the primary if None."""
        if label is None:
            return self.primary
        for spec in self.clouds:
            if label in (spec.name, spec.label):
                return spec
        names = ", ".join(s.label for s in self.clouds)
        raise ConfigError(f"unknown cloud {label!r}", hint=f"this run has: {names}")

    def for_cloud(self, label: str) -> OpenStackEnv:
        """This run's clouds with ``label`` first: what a workload that names its cloud
        (the ``cloud`` context) acts on. Sessions, tokens and the journal are shared."""
        spec = self.cloud(label)
        return replace(self, clouds=[spec, *(s for s in self.clouds if s is not spec)])

    def admin(self, spec: CloudSpec | None = None) -> UserSession:
        """The admin session of ``spec`` (the primary cloud by default)."""
        spec = spec or self.primary
        if spec.admin is None:
            raise ConfigError(
                f"cloud {spec.label} has no admin credentials",
                hint="this needs an admin user; the spec gives only `users`",
            )
        return self.session(spec, spec.admin)

    def session(self, spec: CloudSpec, credential: Credential) -> UserSession:
        """An authenticated session for ``credential``, opened once and then reused."""
        key = (spec.label, credential.model_dump_json())
        with self._lock:
            found = self._sessions.get(key)
        if found is not None:
            return found
        opened = UserSession.open(spec, credential)
        with self._lock:
            found = self._sessions.setdefault(key, opened)
        if found is opened:
            self.keeper.watch(opened)
        else:  # another thread opened it first; the token this one fetched still counts
            with self._lock:
                self._retired.append(opened.tokens)
            opened.close()
        return found

    def forget(self, session: UserSession) -> None:
        """Drop a session whose user is about to be deleted."""
        with self._lock:  # in place: views from ``for_cloud`` share these
            for key in [k for k, s in self._sessions.items() if s is session]:
                del self._sessions[key]
            self._retired.append(session.tokens)
        self.keeper.forget(session)
        session.close()

    def tracker(
        self, run_id: str, spec: CloudSpec | None = None, *, scope: str | None = None
    ) -> Tracker:
        """A journal writer for ``run_id`` on ``spec``; ``scope`` names the workload."""
        return Tracker(self.journal, run_id, (spec or self.primary).label, scope)

    def workload_finished(self, context: ScenarioContext) -> CleanupReport:
        """Delete what the workload's iterations left (called by the engine before the
        contexts' cleanup); raises CloudError listing what could not be deleted."""
        from squall.errors import CloudError
        from squall.openstack.sweep import sweep_workload

        report = sweep_workload(self, context.run_id, workload_scope(context))
        if report.failed:
            lines = "; ".join(f"{item.describe()}: {error}" for item, error in report.failed)
            raise CloudError(
                f"{len(report.failed)} resource(s) left by iterations could not be deleted: "
                f"{lines}",
                hint=f"run `squall cleanup --run {context.run_id}`",
            )
        return report

    @property
    def tokens_issued(self) -> int:
        """Tokens keystone issued to this run's sessions (open and closed)."""
        return len(self.token_fetches())

    def token_fetches(self) -> list[TokenFetch]:
        """Every token fetch of this run's sessions (open and closed), oldest first."""
        with self._lock:
            logs = self._retired + [s.tokens for s in self._sessions.values()]
        fetches = [f for log in logs for f in log.fetches]
        return sorted(fetches, key=lambda f: f.at)

    def close(self) -> None:
        self.keeper.stop()
        with self._lock:
            sessions, self._sessions = list(self._sessions.values()), {}
            self._retired += [s.tokens for s in sessions]
        for session in sessions:
            session.close()
