"""Preflight: can the projects' nova, neutron and cinder quotas hold a workload?

Checked only when the task does not set quotas itself (the ``quotas`` context) and
squall knows the projects: new ones (the ``users`` context; they get the default
quotas) or the admin's own (its current use counts). What a workload needs per
project comes from ``squall.openstack.quota``: servers from the nova scenarios and
the ``servers`` context; neutron and cinder resources from what one iteration of the
scenario holds (``quota_use``: ``times`` of what it keeps, ``min(concurrency, times)``
of what it deletes itself; a network of its own unless a context gives the tenants
networks) and what contexts make per tenant (as they will set up in this cloud:
``for_cloud``).
Only definite shortfalls are problems; everything else is left to the API, whose
quota errors fail single iterations while the run goes on.
"""

from __future__ import annotations

from typing import Any

from squall.errors import Problem
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.errors import cloud_errors
from squall.openstack.lookup import ResourceSpec, find_flavor
from squall.openstack.quota import (
    Counts,
    QuotaUse,
    Shortfall,
    add_counts,
    exceeded,
    server_demand,
    service_peaks,
    shortfalls,
)
from squall.openstack.session import UserSession
from squall.task.validate import ValidatedWorkload

HINT = "raise the quota, or set it with the `quotas` context"
#: quota resources squall counts, per service (names as the APIs report them)
SERVICES = {
    "neutron": (
        "networks",
        "subnets",
        "ports",
        "routers",
        "security_groups",
        "security_group_rules",
        "floating_ips",
        "trunk",
    ),
    "cinder": ("volumes", "gigabytes", "snapshots", "backups"),
}


def quota_problems(
    vw: ValidatedWorkload, env: OpenStackEnv, session: UserSession, where: str
) -> list[Problem]:
    """The quotas that cannot hold ``vw`` at its peak, one problem each."""
    contexts = {cls.name: cfg for cls, cfg in vw.contexts}
    if "quotas" in contexts or env.primary.users:
        return []
    found = _nova(vw, contexts, session) + _neutron_cinder(vw, contexts, session)
    return [Problem(where, str(s), hint=HINT) for s in found]


def _runner(vw: ValidatedWorkload) -> tuple[int | None, int]:
    runner = vw.runner_config
    concurrency = getattr(runner, "concurrency", None) or getattr(runner, "max_concurrency", None)
    return getattr(runner, "times", None), int(concurrency or 1)


def _tenants(contexts: dict[str, Any]) -> int:
    return int(getattr(contexts.get("users"), "tenants", 1))


def _nova(vw: ValidatedWorkload, contexts: dict[str, Any], session: UserSession) -> list[Shortfall]:
    from squall.scenarios.openstack._nova import NovaScenario

    cls, servers = vw.scenario_cls, contexts.get("servers")
    nova = cls if issubclass(cls, NovaScenario) else None
    if nova is None and servers is None:
        return []
    flavor_spec = getattr(vw.scenario_config, "flavor", None) or getattr(servers, "flavor", None)
    if not isinstance(flavor_spec, ResourceSpec):
        return []
    compute, new_projects = session.conn.compute, "users" in contexts
    with cloud_errors("nova.get_quotas"):
        flavor = compute.get_flavor(find_flavor(session.conn, flavor_spec))
        if new_projects:  # new projects get the default quotas
            quota, used = compute.get_quota_set_defaults(session.project_id), {}
        else:
            quota = compute.get_quota_set(session.project_id, usage=True)
            used = dict(quota.usage or {})
    times, concurrency = _runner(vw)
    demand = server_demand(
        times=times,
        concurrency=concurrency,
        tenants=_tenants(contexts),
        keeps=nova is not None and nova.keeps_servers,
        per_iteration=nova.servers_in(vw.scenario_config) if nova is not None else 0,
        context_servers=int(getattr(servers, "servers_per_tenant", 0)),
        vcpus=int(flavor.vcpus or 0),
        ram=int(flavor.ram or 0),
    )
    if demand is None:
        return []
    limits = {k: _limit(getattr(quota, k, None)) for k in ("instances", "cores", "ram")}
    return shortfalls(demand, limits, used)


def _neutron_cinder(
    vw: ValidatedWorkload, contexts: dict[str, Any], session: UserSession
) -> list[Shortfall]:
    from squall.contexts.openstack._base import OpenStackContext
    from squall.scenarios.openstack.base import OpenStackScenario

    cls = vw.scenario_cls
    use = cls.quota_use(vw.scenario_config) if issubclass(cls, OpenStackScenario) else QuotaUse()
    volumes = contexts.get("volumes")
    has_networks = "network" in contexts or "existing_network" in contexts
    use = use.sized(int(getattr(volumes, "size", 0))).networked(has_networks)
    use += _server_ports(vw, has_networks)
    per_tenant: Counts = {}
    for ctx_cls, cfg in vw.contexts:
        if issubclass(ctx_cls, OpenStackContext):
            as_set_up = ctx_cls.for_cloud(cfg, session.conn)
            per_tenant = add_counts(per_tenant, ctx_cls.quota_use(as_set_up))
    servers = contexts.get("servers")
    if servers is not None and _wired(servers, has_networks):
        ports = {"neutron": {"ports": int(servers.servers_per_tenant)}}
        per_tenant = add_counts(per_tenant, ports)
    times, concurrency = _runner(vw)
    peaks = service_peaks(
        use, per_tenant, times=times, concurrency=concurrency, tenants=_tenants(contexts)
    )
    found: list[Shortfall] = []
    for service, needs in peaks.items():
        if service in SERVICES:
            limits, used = _project_quota(session, service, new_projects="users" in contexts)
            found += exceeded(service, needs, limits, used)
    return found


def _wired(boot_config: Any, has_networks: bool) -> bool:
    """Whether servers booted with ``boot_config`` get a port: nics given, a network of
    the tenant's (a network context), or nova's auto-allocated one; else none."""
    return (
        bool(getattr(boot_config, "nics", None))
        or has_networks
        or bool(getattr(boot_config, "auto_assign_nic", False))
    )


def _server_ports(vw: ValidatedWorkload, has_networks: bool) -> QuotaUse:
    """The port each server a nova scenario boots holds (nova checks neutron's ports
    quota before it boots), kept or deleted as the servers are."""
    from squall.scenarios.openstack._nova import NovaScenario

    cls, config = vw.scenario_cls, vw.scenario_config
    if not issubclass(cls, NovaScenario) or not cls.ports_by_nova:
        return QuotaUse()  # no servers, or booted on ports the scenario counts itself
    if not _wired(config, has_networks):
        return QuotaUse()
    return QuotaUse.of("neutron", keeps=cls.keeps_servers, ports=cls.servers_in(config))


def _project_quota(
    session: UserSession, service: str, *, new_projects: bool
) -> tuple[dict[str, int], dict[str, int]]:
    """Limits and current use of ``service``'s quotas in the session's project (the
    defaults and no use for projects the ``users`` context will create)."""
    conn, project, names = session.conn, session.project_id, SERVICES[service]
    with cloud_errors(f"{service}.get_quotas"):
        if service == "neutron":
            if new_projects:
                quota = conn.network.get_quota_default(project)
                return {n: _limit(getattr(quota, n, None)) for n in names}, {}
            details = conn.network.get_quota(project, details=True)
            rows = {n: getattr(details, n, None) or {} for n in names}
            return (
                {n: _limit(row.get("limit")) for n, row in rows.items()},
                {n: int(row.get("used") or 0) for n, row in rows.items()},
            )
        storage = conn.block_storage
        if new_projects:
            quota = storage.get_quota_set_defaults(project)
            return {n: _limit(getattr(quota, n, None)) for n in names}, {}
        quota = storage.get_quota_set(project, usage=True)
        usage = dict(quota.usage or {})
        return (
            {n: _limit(getattr(quota, n, None)) for n in names},
            {n: int(usage.get(n) or 0) for n in names},
        )


def _limit(value: object) -> int:
    """A quota from the API; None (not reported) counts as unlimited."""
    return -1 if value is None else int(str(value))
