"""The base class of every OpenStack scenario.

An OpenStack scenario is a blocking ``Scenario`` (its SDK calls run on the
executor's thread pool) that finds, in the workload's context, the cloud
(``OpenStackEnv``, put there by ``squall task start --cloud ...``) and the user it
acts as (``Users``, from the ``users`` context; existing users or the admin
otherwise). What it gives a scenario author::

    class CreateUser(OpenStackScenario):
        name: ClassVar[str] = "KeystoneBasic.create_user"
        services: ClassVar[tuple[str, ...]] = ("identity",)

        class Config(OpenStackArgs):
            password: str | None = None

        def run(self) -> None:
            conn = self.admin_clients            # authenticated once, reused
            name = self.generate_name()           # squall-<run8>-<rand>
            entry = self.track(ResourceKind.USER, name)      # journal row BEFORE create
            with self.action("keystone.create_user"):        # timed + errors translated
                user = conn.identity.create_user(name=name)
            self.tracked(entry, user.id)          # journal row completed (outside timing)

Rules the helpers enforce:

- ``action(name)`` is an atomic action (Rally's name, e.g. ``nova.boot_server``)
  whose SDK errors become ``CloudError`` with HTTP status and request id.
- Waits (``wait_for_status``/``wait_for_delete``) use ``policy(wait_name)``: Rally's
  defaults, overridden per workload by the ``waits`` argument. List the waits a
  scenario uses in ``waits`` so the values are reported with its results.
- No token is fetched inside ``action``: sessions are authenticated by contexts
  and renewed by a background keeper.
- Every created resource is journaled with ``track()`` before the create call and
  ``tracked()`` after it, and ``untracked()`` after its deletion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from squall.openstack.cloud import OpenStackEnv, workload_scope
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import ResourceKind, Tracker, link_id
from squall.openstack.naming import NameGenerator
from squall.openstack.quota import QuotaUse
from squall.openstack.tenants import CloudUser, Tenant, Users
from squall.openstack.waiters import (
    WaitOverride,
    WaitPolicy,
    quantisation,
    resolve,
    wait_for_delete,
    wait_for_status,
)
from squall.scenarios.atomic import AtomicRecorder
from squall.scenarios.base import Scenario, ScenarioContext

T = TypeVar("T")


def _translated(fetch: Callable[[], T], what: str) -> Callable[[], T]:
    """``fetch`` with SDK errors turned into CloudError (404 -> ResourceNotFound)."""

    def call() -> T:
        with cloud_errors(f"get {what}"):
            return fetch()

    return call


class OpenStackArgs(BaseModel):
    """Arguments every OpenStack scenario accepts on top of its own."""

    model_config = ConfigDict(extra="forbid")
    waits: dict[str, WaitOverride] = Field(
        default_factory=dict,
        description="per-workload poll settings: {nova_server_boot: {prepoll, interval, timeout}}",
    )


def default_users(env: OpenStackEnv) -> Users:
    """The users iterations act as when no ``users`` context ran: the spec's existing
    users if it lists some (Rally's behaviour), else the admin in its own project."""
    spec = env.primary
    sessions = [env.session(spec, cred) for cred in spec.users] or [env.admin(spec)]
    tenants: dict[str, Tenant] = {}
    for session in sessions:
        project = session.project_id
        tenant = tenants.setdefault(project, Tenant(id=project, name=project))
        tenant.users.append(CloudUser(session=session, id=session.user_id, project_id=project))
    return Users(tenants=list(tenants.values()))


class OpenStackScenario(Scenario):
    """A blocking scenario acting on an OpenStack cloud as one user per iteration."""

    Config: ClassVar[type[BaseModel]] = OpenStackArgs
    #: names of the waits (``squall.openstack.waiters.DEFAULTS``) this scenario uses
    waits: ClassVar[tuple[str, ...]] = ()
    #: service types (catalog names) the scenario needs; preflight checks them
    services: ClassVar[tuple[str, ...]] = ()
    #: neutron API extensions (aliases) the scenario needs; preflight skips the workload
    #: when the cloud lacks one
    extensions: ClassVar[tuple[str, ...]] = ()
    #: True if the scenario needs the admin (``admin_clients``)
    needs_admin: ClassVar[bool] = False

    def __init__(
        self,
        config: BaseModel,
        context: ScenarioContext,
        iteration: int,
        atomics: AtomicRecorder,
    ) -> None:
        super().__init__(config, context, iteration, atomics)
        self.env = context.require(OpenStackEnv)
        self._picked: tuple[CloudUser, Tenant] | None = None
        self._names = NameGenerator(context.run_id)
        self._scope = workload_scope(context)

    # -- who and where --------------------------------------------------------------

    def _pick(self) -> tuple[CloudUser, Tenant]:
        if self._picked is None:
            users = self.context.get(Users)
            if users is None:  # no users context: computed once, then shared
                users = default_users(self.env)
                self.context.put(users)
            self._picked = users.pick(self.iteration)
        return self._picked

    @property
    def user(self) -> CloudUser:
        """The user this iteration acts as."""
        return self._pick()[0]

    @property
    def tenant(self) -> Tenant:
        """The user's project and what contexts prepared in it."""
        return self._pick()[1]

    @property
    def clients(self) -> Any:
        """The user's authenticated ``openstack.connection.Connection``."""
        return self.user.session.conn

    @property
    def admin_clients(self) -> Any:
        """The admin's authenticated ``openstack.connection.Connection``."""
        return self.env.admin().conn

    # -- names, journal -------------------------------------------------------------

    def generate_name(self) -> str:
        """A new ``squall-<run8>-<rand>`` name for a resource of this run."""
        return self._names()

    @property
    def tracker(self) -> Tracker:
        return self.env.tracker(self.context.run_id, scope=self._scope)

    def track(
        self,
        kind: ResourceKind,
        name: str,
        *,
        project_id: str | None = None,
        parent_id: str | None = None,
    ) -> int:
        """Journal a resource about to be created (call BEFORE the create call)."""
        project = project_id or self.user.project_id
        return self.tracker.begin(kind, name, project_id=project, parent_id=parent_id)

    def tracked(self, entry: int, resource_id: str) -> None:
        """Complete the journal row once the create call returned an id."""
        self.tracker.created(entry, resource_id)

    def untracked(self, kind: ResourceKind, resource_id: str) -> None:
        """Mark a resource deleted in the journal (after its deletion finished)."""
        self.tracker.deleted(kind, resource_id)

    def create_tracked(
        self,
        kind: ResourceKind,
        action: str,
        create: Callable[[str], T],
        *,
        project_id: str | None = None,
    ) -> T:
        """Name, journal, create (timed as ``action``), complete the journal row.

        ``create`` receives the generated name and returns the SDK resource.
        """
        name = self.generate_name()
        entry = self.track(kind, name, project_id=project_id)
        try:
            with self.action(action):
                resource = create(name)
        except BaseException:
            self.tracker.failed(entry)
            raise
        self.tracked(entry, str(getattr(resource, "id", "")))
        return resource

    def link_tracked(
        self, kind: ResourceKind, action: str, parent_id: str, child: str, make: Callable[[], Any]
    ) -> str:
        """Journal a link (a host added to an aggregate, a QoS spec associated with a
        volume type), make it (timed as ``action``), complete the row; return its id.

        Cleanup undoes a link before it deletes the parent (``ResourceKind`` order).
        """
        resource_id = link_id(parent_id, child)
        entry = self.track(kind, resource_id, project_id="", parent_id=parent_id)
        try:
            with self.action(action):
                make()
        except BaseException:
            self.tracker.failed(entry)
            raise
        self.tracked(entry, resource_id)
        return resource_id

    # -- timing, errors, waits -----------------------------------------------------------

    @contextmanager
    def action(self, name: str) -> Iterator[None]:
        """Time the block as atomic action ``name``; translate SDK errors in it."""
        with self.atomics.action(name), cloud_errors(name):
            yield

    def policy(self, wait: str) -> WaitPolicy:
        """The wait policy ``wait`` for this workload (Rally's default unless overridden)."""
        return resolve(wait, self._wait_overrides(self.config))

    def wait_for_status(
        self,
        resource: Any,
        fetch: Callable[[Any], Any],
        wait: str,
        *,
        ready: tuple[str, ...] = ("ACTIVE",),
        failure: tuple[str, ...] = ("ERROR",),
    ) -> Any:
        """Poll ``fetch(resource)`` with policy ``wait`` until its status is in ``ready``."""
        what = f"{type(resource).__name__.lower()} {getattr(resource, 'id', '')}"
        return wait_for_status(
            _translated(lambda: fetch(resource), what),
            lambda r: str(getattr(r, "status", "") or ""),
            ready,
            self.policy(wait),
            failure=failure,
            what=what,
        )

    def wait_for_delete(self, fetch: Callable[[], Any], wait: str, what: str) -> None:
        """Poll ``fetch()`` (None or ResourceNotFound once gone) with policy ``wait``."""
        wait_for_delete(_translated(fetch, what), self.policy(wait), what=what)

    # -- reporting ----------------------------------------------------------------------

    @classmethod
    def quota_use(cls, config: BaseModel) -> QuotaUse:
        """Quota resources one iteration holds at its peak, kept until the workload's
        sweep or deleted by the iteration; preflight counts ``times`` of the kept and
        ``min(concurrency, times)`` of the rest. Empty when the scenario does not say
        (its use is then never flagged)."""
        return QuotaUse()

    @staticmethod
    def _wait_overrides(config: BaseModel) -> dict[str, WaitOverride]:
        waits = getattr(config, "waits", None)
        return waits if isinstance(waits, dict) else {}

    @classmethod
    def quantisation_for(cls, config: BaseModel) -> dict[str, float]:
        """Poll settings of every wait this scenario uses, as reported with its results."""
        return quantisation(cls.waits, cls._wait_overrides(config))
