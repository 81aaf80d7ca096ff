"""OpenStack for ``squall task start``: which clouds, preflight, leak check.

``context_items()`` turns ``--cloud`` / ``--deployment`` / ``OS_CLOUD`` / ``OS_*``
into the ``OpenStackEnv`` every workload's context starts with. It authenticates
once per cloud before the run is created (wrong credentials or an unreachable
auth URL stop here with one ``CloudError``) and runs the preflight checks, so a
run that cannot work creates nothing. ``leak_check()`` runs after the run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from squall.api.openstack_quotas import quota_problems
from squall.errors import CloudError, ConfigError, Problem, TaskError
from squall.openstack.cleanup import Leftover, plan
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import (
    CloudSpec,
    from_clouds_yaml,
    from_environ,
    from_rally_spec,
)
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import Journal, MemoryJournal
from squall.openstack.lookup import ResourceSpec, find_flavor, find_image
from squall.openstack.session import UserSession
from squall.openstack.sweep import find_leftovers
from squall.task.clouds import expand_clouds
from squall.task.validate import ValidatedTask, ValidatedWorkload


@dataclass(frozen=True)
class CloudOptions:
    """Where the clouds come from (the command line's view)."""

    #: clouds.yaml entries, ``NAME`` or ``NAME/REGION``; the first is the primary
    clouds: tuple[str, ...] = ()
    #: a Rally deployment / env spec file (``existing@openstack``)
    deployment: Path | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


def cloud_specs(options: CloudOptions) -> list[CloudSpec]:
    """The clouds to use: --deployment, else --cloud, else OS_CLOUD, else OS_*; or none."""
    if options.deployment is not None:
        return [from_rally_spec(options.deployment)]
    if options.clouds:
        return [from_clouds_yaml(*_name_region(c)) for c in options.clouds]
    named = options.environ.get("OS_CLOUD")
    if named:
        return [from_clouds_yaml(named, options.environ.get("OS_REGION_NAME") or None)]
    if options.environ.get("OS_AUTH_URL"):
        return [from_environ(options.environ)]
    return []


def _name_region(value: str) -> tuple[str, str | None]:
    name, _, region = value.partition("/")
    return name, region or None


def uses_openstack(task: ValidatedTask) -> bool:
    """True if a workload of ``task`` runs an OpenStack scenario or context."""
    from squall.contexts.openstack._base import OpenStackContext
    from squall.scenarios.openstack.base import OpenStackScenario

    for vw in task.workloads:
        if issubclass(vw.scenario_cls, OpenStackScenario):
            return True
        if any(issubclass(cls, OpenStackContext) for cls, _ in vw.contexts):
            return True
    return False


def _given_specs(options: CloudOptions) -> list[CloudSpec]:
    specs = cloud_specs(options)
    if not specs:
        raise ConfigError(
            "this task needs an OpenStack cloud and none was given",
            hint="pass --cloud NAME (clouds.yaml), --deployment FILE, or set OS_CLOUD / OS_*",
        )
    return specs


def open_env(
    options: CloudOptions, journal: Journal | None = None, specs: list[CloudSpec] | None = None
) -> OpenStackEnv:
    """Authenticate to every cloud now, as the admin and as every existing user of the
    spec; raise CloudError/ConfigError if one fails."""
    specs = specs or _given_specs(options)
    env = OpenStackEnv(clouds=specs, journal=journal or MemoryJournal())
    try:
        for spec in specs:
            if spec.admin is None and not spec.users:
                raise ConfigError(f"cloud {spec.label} has no credentials")
            if spec.admin is not None:
                env.admin(spec)
            for user in spec.users:  # now, not on first use inside a timed step
                env.session(spec, user)
    except BaseException:
        env.close()
        raise
    return env


def expand(task: ValidatedTask, options: CloudOptions) -> ValidatedTask:
    """``task`` with each workload written for several clouds made one per cloud of
    ``options`` (their clouds.yaml entries are read; no cloud is contacted)."""
    return expand_clouds(task, [spec.label for spec in _given_specs(options)])


@dataclass(frozen=True)
class Skipped:
    """A workload preflight took out of the run, and why."""

    subtask_index: int
    workload_index: int
    scenario: str
    reason: str


@dataclass
class Prepared:
    """What ``squall task start`` runs: the task without the workloads the cloud cannot
    serve, and the context items every workload starts with."""

    task: ValidatedTask
    items: list[object] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def prepare(task: ValidatedTask, options: CloudOptions, journal: Journal | None = None) -> Prepared:
    """Authenticate and preflight when ``task`` uses OpenStack (else nothing to do).

    A workload written for several clouds (``cloud: all``, ``cloud: [east, west]``)
    becomes one workload per cloud first (``task.clouds``); a cloud the run lacks is
    an error before any cloud is contacted. Workloads whose scenario needs a service
    the catalog lacks are skipped with the reason; any other preflight problem (image
    or flavor not found, no admin) stops the run before anything is created.
    """
    if not uses_openstack(task):
        return Prepared(task)
    specs = _given_specs(options)
    task = expand_clouds(task, [spec.label for spec in specs])
    env = open_env(options, journal, specs)
    try:
        skipped = preflight(task, env)
    except BaseException:
        env.close()
        raise
    keep = [
        vw
        for vw in task.workloads
        if not any(
            (s.subtask_index, s.workload_index) == (vw.subtask_index, vw.workload_index)
            for s in skipped
        )
    ]
    if not keep:
        env.close()
        reasons = "; ".join(s.reason for s in skipped)
        raise ConfigError(f"no workload of this task can run on {env.primary.label}: {reasons}")
    return Prepared(ValidatedTask(task.loaded, keep, task.resilience), [env], skipped)


def context_items(
    task: ValidatedTask, options: CloudOptions, journal: Journal | None = None
) -> list[object]:
    """``prepare()`` for callers that run ``task`` whole: the context items, and an error
    (not a skip) when a workload needs a service the cloud lacks."""
    prepared = prepare(task, options, journal)
    if prepared.skipped:
        for item in prepared.items:
            if isinstance(item, OpenStackEnv):
                item.close()
        raise ConfigError("; ".join(s.reason for s in prepared.skipped))
    return prepared.items


# -- preflight ------------------------------------------------------------------------


def preflight(task: ValidatedTask, env: OpenStackEnv) -> list[Skipped]:
    """Check, before anything is created, what the task needs from the cloud: admin
    credentials, the images and flavors it names and the nova, neutron and cinder quotas
    (problems raise ``TaskError``), and the services of each scenario (a missing one
    skips that workload); each on the cloud the workload acts on (``cloud`` context)."""
    problems: list[Problem] = []
    skipped: list[Skipped] = []
    for vw in task.workloads:
        try:
            cloud = _workload_env(vw, env)
        except ConfigError as exc:
            problems.append(Problem(f"{vw.path}.contexts.cloud", exc.message, exc.hint))
            continue
        session = _probe_session(cloud)
        reason = _missing(vw, session, cloud.primary.label)
        if reason is not None:
            skipped.append(
                Skipped(vw.subtask_index, vw.workload_index, vw.workload.scenario.name, reason)
            )
            continue
        problems += _workload_problems(vw, cloud, session)
    problems += _monitor_problems(task, env)
    if problems:
        raise TaskError(problems, source=f"preflight on {env.primary.label}")
    return skipped


def _monitor_problems(task: ValidatedTask, env: OpenStackEnv) -> list[Problem]:
    """A monitor's ``cloud`` must be one of the run's clouds (checked before the run)."""
    problems: list[Problem] = []
    spec = task.resilience
    for i, (_, config) in enumerate(spec.monitors if spec is not None else []):
        cloud = getattr(config, "cloud", None)
        if isinstance(cloud, str):
            try:
                env.cloud(cloud)
            except ConfigError as exc:
                at = f"resilience.monitors[{i}].cloud"
                problems.append(Problem(at, f"{exc.message} (a monitor's cloud)", exc.hint))
    return problems


def _workload_env(vw: ValidatedWorkload, env: OpenStackEnv) -> OpenStackEnv:
    """The run's clouds as the workload sees them: the one its ``cloud`` context names
    first (ConfigError for a cloud the run does not have)."""
    for cls, config in vw.contexts:
        if cls.name == "cloud":
            return env.for_cloud(str(getattr(config, "name", "")))
    return env


def _probe_session(env: OpenStackEnv) -> UserSession:
    spec = env.primary
    return env.admin(spec) if spec.admin is not None else env.session(spec, spec.users[0])


def _where(vw: ValidatedWorkload) -> str:
    """The workload's path in the file; a per-cloud copy's says its cloud."""
    return vw.path if vw.cloud is None else f"{vw.path}[cloud {vw.cloud}]"


def _missing(vw: ValidatedWorkload, session: UserSession, label: str) -> str | None:
    """Why the cloud cannot serve the workload's scenario (a service missing from its
    catalog, a neutron extension neutron lacks), or None."""
    from squall.scenarios.openstack.base import OpenStackScenario

    cls = vw.scenario_cls
    if not issubclass(cls, OpenStackScenario):
        return None
    missing = [service for service in cls.services if not session.has_service(service)]
    if missing:
        return f"{cls.name} needs {', '.join(missing)}, which {label}'s catalog lacks"
    if cls.extensions:
        with cloud_errors("neutron.list_extensions"):
            present = {str(e.alias) for e in session.conn.network.extensions()}
        absent = [e for e in cls.extensions if e not in present]
        if absent:
            return (
                f"{cls.name} needs the neutron extension {', '.join(absent)}, which "
                f"{label}'s neutron does not offer"
            )
    return None


def _workload_problems(
    vw: ValidatedWorkload, env: OpenStackEnv, session: UserSession
) -> list[Problem]:
    from squall.scenarios.openstack.base import OpenStackScenario

    problems: list[Problem] = []
    cls = vw.scenario_cls
    where = _where(vw)
    if issubclass(cls, OpenStackScenario) and cls.needs_admin and env.primary.admin is None:
        problems.append(Problem(where, f"{cls.name} needs admin credentials"))
    configs = [(f"{where}.scenario", vw.scenario_config)]
    configs += [(f"{where}.contexts.{c.name}", cfg) for c, cfg in vw.contexts]
    for at, config in configs:
        problems += _lookup_problems(at, config, session)
    if not problems:
        problems += quota_problems(vw, env, session, where)
    return problems


def _lookup_problems(at: str, config: object, session: UserSession) -> list[Problem]:
    problems: list[Problem] = []
    for field_name, finder in (("image", find_image), ("flavor", find_flavor)):
        spec = getattr(config, field_name, None)
        if isinstance(spec, ResourceSpec):
            try:
                finder(session.conn, spec)
            except ConfigError as exc:
                problems.append(Problem(f"{at}.{field_name}", exc.message, exc.hint))
            except Exception as exc:  # CloudError (404 for an id) is a preflight problem too
                problems.append(Problem(f"{at}.{field_name}", str(exc)))
    return problems


def environment_cloud(items: list[object]) -> dict[str, Any]:
    """The run's clouds as its stored environment keeps them (no credentials): the
    primary's label as ``name`` (what Rally's exports call the deployment), and every
    cloud with its region and auth URL; empty for a run without clouds."""
    for item in items:
        if isinstance(item, OpenStackEnv):
            clouds = [
                {"name": s.label, "region": s.region_name, "auth_url": s.auth_url}
                for s in item.clouds
            ]
            return {"name": item.primary.label, "clouds": clouds}
    return {}


# -- after the run -------------------------------------------------------------------------


def leak_check(env: OpenStackEnv, run_id: str) -> list[Leftover]:
    """What run ``run_id`` left in its clouds: live journal rows and resources named
    after it. Empty when nothing leaked."""
    leftovers: list[Leftover] = []
    for spec in env.clouds:
        if spec.admin is None:
            continue
        try:
            leftovers += find_leftovers(env.admin(spec).conn, env.journal, spec, run_id).leftovers
        except CloudError as exc:
            if exc.status != 403:
                raise
            # a cloud whose user may not list every project's resources: its journal
            # rows still say what the run left there
            rows = [e for e in env.journal.entries(run_id) if e.cloud in (spec.label, spec.name)]
            leftovers += plan(rows, [])
    return leftovers


def finish(items: list[object], run_id: str) -> list[Leftover]:
    """After a run: check its clouds for leaks, then close their sessions.

    A cloud that fails the check (a service answering 5xx) raises ``CloudError``
    saying the run itself is stored and how to check for leaks later."""
    leftovers: list[Leftover] = []
    for item in items:
        if isinstance(item, OpenStackEnv):
            try:
                leftovers += leak_check(item, run_id)
            except CloudError as exc:
                raise CloudError(
                    f"run {run_id} is stored, but the leak check after it failed: {exc.message}",
                    hint=f"once the cloud answers: squall cleanup --run {run_id} --dry-run",
                    status=exc.status,
                    request_id=exc.request_id,
                ) from exc
            finally:
                item.close()
    return leftovers
