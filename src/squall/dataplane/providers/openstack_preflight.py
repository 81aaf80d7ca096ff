"""Before an OpenStack data-plane run creates anything: can each cloud hold the plan?

Checks, per cloud: the services the plan needs are in the catalog; the image and
flavor exist; an external network exists when ``full`` mode (or routers with
gateways) need one; the zones named exist and ``spread: hosts`` / anti-affinity
have enough compute hosts; ``tenancy: create`` has an admin; ``tenancy: existing``
has quota left (instances, cores, RAM, ports, networks, subnets, routers, floating
IPs, security groups, volumes, gigabytes) for what the plan stages. Every problem
becomes one ``ConfigError`` listing them all.
"""

from __future__ import annotations

import re
from typing import Any

from squall.dataplane.plan import Plan
from squall.dataplane.providers import openstack_layout as layout
from squall.dataplane.providers.openstack_cloud import SideCloud
from squall.dataplane.topology import Topology
from squall.errors import CloudError, ConfigError
from squall.openstack.errors import cloud_errors
from squall.openstack.lookup import ResourceSpec, find_flavor, find_image, find_network

_UUID = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")


def _spec(value: str) -> ResourceSpec:
    """An id when it looks like one, else a name (tried as a regex after an exact match)."""
    return ResourceSpec(id=value) if _UUID.match(value) else ResourceSpec(name=value)


def check(plan: Plan, topology: Topology, clouds: dict[layout.Side, SideCloud]) -> None:
    problems: list[str] = []
    done: set[int] = set()
    for cloud in clouds.values():
        if id(cloud) in done:
            continue
        done.add(id(cloud))
        problems += [f"{cloud.spec.label}: {p}" for p in _check_cloud(plan, topology, cloud)]
    if problems:
        raise ConfigError(
            "the plan cannot be staged: " + "; ".join(problems),
            hint="fix the plan's openstack/placement settings or the cloud, then run again",
        )


def _check_cloud(plan: Plan, topology: Topology, cloud: SideCloud) -> list[str]:
    session = cloud.session
    needed = ["compute", "network"] + (["block-storage"] if plan.openstack.volume else [])
    missing = [s for s in needed if not session.has_service(s)]
    if missing:
        return [f"the catalog has no {', '.join(missing)} service"]
    problems = _lookups(plan, topology, cloud)
    if plan.openstack.tenancy == "create":
        problems += _needs_admin(cloud)
    problems += _placement(plan, topology, cloud)
    if plan.openstack.tenancy == "existing" and cloud.flavor:
        problems += _quotas(plan, topology, cloud)
    return problems


def _lookups(plan: Plan, topology: Topology, cloud: SideCloud) -> list[str]:
    conn, options, problems = cloud.admin_conn, plan.openstack, []
    for what, finder, value in (
        ("image", find_image, options.image),
        ("flavor", find_flavor, options.flavor),
    ):
        try:
            setattr(cloud, what, finder(conn, _spec(value)))
        except (ConfigError, CloudError) as exc:
            problems.append(
                f"{what} {value!r}: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")
            )
    try:
        cloud.external = _external(conn, options.external_network)
    except (ConfigError, CloudError) as exc:
        problems.append(f"external network {options.external_network!r}: {exc.message}")
    if cloud.external is None and not problems:
        if topology.mode == "full":
            problems.append(
                "network_mode full needs an external network for floating IPs and none was found"
            )
        elif options.proxy is not None and "server" in cloud.sides:
            problems.append("openstack.proxy needs an external network for the proxy's floating IP")
    if options.volume is not None and options.volume.type:
        with cloud_errors("cinder.list_types"):
            types = {str(t.name) for t in conn.block_storage.types()}
        if options.volume.type not in types:
            problems.append(f"no volume type {options.volume.type!r} (have: {sorted(types)})")
    return problems


def _external(conn: Any, wanted: str | None) -> str | None:
    if wanted:
        return find_network(conn, _spec(wanted))
    with cloud_errors("neutron.list_networks"):
        for net in conn.network.networks(is_router_external=True):
            return str(net.id)
    return None


def _needs_admin(cloud: SideCloud) -> list[str]:
    try:
        with cloud_errors("keystone.list_projects"):
            next(iter(cloud.admin_conn.identity.projects()), None)
    except CloudError as exc:
        if exc.status in (401, 403):
            return [
                f"tenancy: create needs an admin user to make projects and users "
                f"({cloud.session.credential.label} is not one); use tenancy: existing"
            ]
        raise
    return []


def _placement(plan: Plan, topology: Topology, cloud: SideCloud) -> list[str]:
    placement, conn, problems = plan.placement, cloud.admin_conn, []
    if placement.zones:
        with cloud_errors("nova.list_availability_zones"):
            known = {str(z.name) for z in conn.compute.availability_zones()}
        unknown = [z for z in placement.zones if z not in known]
        if unknown:
            problems.append(f"no availability zone {', '.join(unknown)} (have: {sorted(known)})")
    hosts: list[str] = []
    if placement.spread == "hosts" or placement.anti_affinity:
        hosts = _compute_hosts(conn, placement.zones)
        if placement.spread == "hosts" and not hosts:
            problems.append("spread: hosts needs the admin's view of nova-compute hosts")
    mine = [i for i in topology.instances if layout.instance_side(topology, i) in cloud.sides]
    if placement.anti_affinity and hosts:
        group = _largest_group(topology, mine, per_tenant=plan.openstack.tenancy == "create")
        if group > len(hosts):
            problems.append(
                f"anti-affinity cannot place {group} instances of one group "
                f"on {len(hosts)} compute hosts"
            )
    spread = layout.placements(topology, placement.spread, placement.zones, hosts)
    cloud.placement = {name: spread[name] for name in mine}
    return problems


def _largest_group(topology: Topology, names: list[str], *, per_tenant: bool) -> int:
    """Members of the largest anti-affinity group: one group per role (and project)."""
    sizes: dict[tuple[str, int], int] = {}
    for name in names:
        inst = topology.instances[name]
        key = (inst.role, inst.tenant if per_tenant else 0)
        sizes[key] = sizes.get(key, 0) + 1
    return max(sizes.values(), default=0)


def _compute_hosts(conn: Any, zones: list[str]) -> list[str]:
    """``zone:host`` of every enabled, up nova-compute (in ``zones`` when given)."""
    try:
        with cloud_errors("nova.list_services"):
            services = list(conn.compute.services(binary="nova-compute"))
    except CloudError:
        return []
    return sorted(
        f"{s.availability_zone}:{s.host}"
        for s in services
        if s.status == "enabled" and s.state == "up" and (not zones or s.availability_zone in zones)
    )


def _quotas(plan: Plan, topology: Topology, cloud: SideCloud) -> list[str]:
    conn = cloud.admin_conn
    project = cloud.session.project_id
    with cloud_errors("nova.get_flavor"):
        flavor = conn.compute.get_flavor(cloud.flavor)
    need = layout.demand(
        topology,
        "server" if "server" in cloud.sides else "client",
        layout.Flavor(int(flavor.vcpus or 0), int(flavor.ram or 0)),
        tenants=1,
        volume_size=plan.openstack.volume.size if plan.openstack.volume else None,
        both_sides=len(cloud.sides) == 2,
        proxy=plan.openstack.proxy is not None,
    )
    limits, used = _limits(conn, project, volumes=plan.openstack.volume is not None)
    return [str(s) for s in layout.shortfalls(need, limits, used)]


def _limits(conn: Any, project: str, *, volumes: bool) -> tuple[dict[str, int], dict[str, int]]:
    limits: dict[str, int] = {}
    used: dict[str, int] = {}
    with cloud_errors("nova.get_quotas"):
        nova = conn.compute.get_quota_set(project, usage=True)
    _usage_set(nova, layout.NOVA_QUOTAS, limits, used)
    with cloud_errors("neutron.get_quotas"):
        neutron = conn.network.get_quota(project, details=True)
    for key, attr in zip(layout.NEUTRON_QUOTAS, _NEUTRON_ATTRS, strict=True):
        detail = getattr(neutron, attr, None) or {}
        limits[key] = int(detail.get("limit", -1))
        used[key] = int(detail.get("used", 0)) + int(detail.get("reserved", 0))
    if volumes:
        with cloud_errors("cinder.get_quotas"):
            cinder = conn.block_storage.get_quota_set(project, usage=True)
        _usage_set(cinder, layout.CINDER_QUOTAS, limits, used)
    return limits, used


_NEUTRON_ATTRS = ("ports", "networks", "subnets", "routers", "floating_ips", "security_groups")


def _usage_set(
    quota: Any, keys: tuple[str, ...], limits: dict[str, int], used: dict[str, int]
) -> None:
    usage = dict(getattr(quota, "usage", None) or {})
    reserved = dict(getattr(quota, "reservation", None) or {})
    for key in keys:
        value = getattr(quota, key, None)
        limits[key] = -1 if value is None else int(value)
        used[key] = int(usage.get(key, 0) or 0) + int(reserved.get(key, 0) or 0)
