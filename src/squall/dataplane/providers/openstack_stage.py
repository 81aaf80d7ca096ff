"""Creating what the ``openstack`` provider stages, one journaled call at a time.

``Stager`` holds the ids of what it made by topology name (``Staged``) and creates,
in order: security groups, routers with their networks, subnets and interfaces
(concurrently per router), ports with the topology's fixed addresses and floating
IPs, volumes, then servers (``boot``) and their wait for ACTIVE (``active``; a
server that lost its anti-affinity group's placement race is booted again alone,
``replace``).
Every create goes through ``squall.openstack.tracked`` (journal row first) and checks
the cancel flag first, so Ctrl-C stops staging at the next call.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address
from typing import Any, TypeVar

from squall.dataplane.plan import Plan
from squall.dataplane.providers import openstack_layout as layout
from squall.dataplane.providers.openstack_cloud import Side, SideCloud
from squall.dataplane.providers.openstack_placement import PlacementRace, lost_race
from squall.dataplane.topology import Topology
from squall.errors import CloudError, RunAborted
from squall.openstack.errors import ResourceFailed, cloud_errors
from squall.openstack.journal import ResourceKind
from squall.openstack.naming import NameGenerator
from squall.openstack.tracked import tracked
from squall.openstack.waiters import WaitPolicy, wait_for_status

K = ResourceKind
T = TypeVar("T")
WORKERS = 8
#: the proxy instance's key in ``Staged`` (topology names never take it)
PROXY = "proxy"


@dataclass
class Staged:
    """Ids of what staging made, by topology name."""

    networks: dict[str, str] = field(default_factory=dict)
    subnets: dict[str, str] = field(default_factory=dict)
    routers: dict[str, str] = field(default_factory=dict)
    ports: dict[str, str] = field(default_factory=dict)
    volumes: dict[str, str] = field(default_factory=dict)
    servers: dict[str, str] = field(default_factory=dict)
    hosts: dict[str, str] = field(default_factory=dict)
    #: the side (cloud) each server was booted in
    sides: dict[str, Side] = field(default_factory=dict)


class Stager:
    """Creates one run's resources in its clouds (``clouds`` from preflight)."""

    def __init__(
        self, plan: Plan, run: str, clouds: dict[Side, SideCloud], cancel: threading.Event
    ) -> None:
        self.plan = plan
        self.run = run
        self.clouds = clouds
        self.names = NameGenerator(run)
        self.staged = Staged()
        self._cancel = cancel
        self._lock = threading.Lock()  # staging threads filling ``staged``

    def distinct_clouds(self) -> list[SideCloud]:
        seen: dict[int, SideCloud] = {id(c): c for c in self.clouds.values()}
        return list(seen.values())

    def check(self) -> None:
        if self._cancel.is_set():
            raise RunAborted("staging was interrupted; everything staged is being removed")

    def create_as(self, cloud: SideCloud) -> Callable[..., Any]:
        def create(
            kind: ResourceKind,
            make: Callable[[str], T],
            *,
            name: str | None = None,
            project_id: str | None = None,
            parent_id: str | None = None,
            resource_id: Callable[[T], str] = lambda r: str(getattr(r, "id", "")),
        ) -> T:
            self.check()
            return tracked(
                cloud.tracker,
                kind,
                name or self.names(),
                make,
                project_id=project_id,
                parent_id=parent_id,
                resource_id=resource_id,
            )

        return create

    def security_groups(self, pairs: int) -> None:
        rules = layout.ingress_rules(self.plan, pairs)
        for cloud in self.distinct_clouds():
            create = self.create_as(cloud)
            for project in cloud.projects.values():
                net = project.conn.network
                group = create(
                    K.SECURITY_GROUP,
                    lambda name, net=net: net.create_security_group(
                        name=name, description=f"squall data plane, run {self.run}"
                    ),
                    project_id=project.id,
                )
                project.security_group = str(group.id)
                with cloud_errors("neutron.create_security_group_rules"):
                    list(net.create_security_group_rules([_rule(group.id, r) for r in rules]))

    def networks(self, topology: Topology) -> None:
        concurrently(lambda name: self._router(topology, name), list(topology.routers))

    def _router(self, topology: Topology, name: str) -> None:
        router = topology.routers[name]
        cloud = self.clouds[layout.router_side(topology, name)]
        project = cloud.project(router.tenant)
        net = project.conn.network
        gateway = {"network_id": cloud.external} if cloud.external else None
        made = self.create_as(cloud)(
            K.ROUTER,
            lambda new: net.create_router(name=new, external_gateway_info=gateway),
            project_id=project.id,
        )
        with self._lock:
            self.staged.routers[name] = str(made.id)
        for network_name in router.networks:
            self._network(topology, network_name, cloud, made)

    def _network(
        self, topology: Topology, network_name: str, cloud: SideCloud, router: Any
    ) -> None:
        network = topology.networks[network_name]
        project = cloud.project(network.tenant)
        net, create = project.conn.network, self.create_as(cloud)
        made = create(K.NETWORK, lambda name: net.create_network(name=name), project_id=project.id)
        subnet = create(
            K.SUBNET,
            lambda name: net.create_subnet(
                name=name,
                network_id=made.id,
                ip_version=4,
                cidr=str(network.cidr),
                gateway_ip=str(network.gateway),
            ),
            project_id=project.id,
        )
        with self._lock:
            self.staged.networks[network_name] = str(made.id)
            self.staged.subnets[network_name] = str(subnet.id)
        create(
            K.ROUTER_INTERFACE,
            lambda _name: net.add_interface_to_router(router, subnet_id=subnet.id),
            name=f"{router.name}:{subnet.id}",
            parent_id=str(router.id),
            resource_id=lambda _r: str(subnet.id),
        )

    def ports(self, topology: Topology) -> None:
        """A port per instance holding its topology address; floating IPs in ``full``."""

        def one(instance: str) -> None:
            inst = topology.instances[instance]
            cloud = self.clouds[layout.instance_side(topology, instance)]
            fip = self._port(
                cloud,
                inst.tenant,
                inst.network,
                instance,
                address=str(inst.address),
                floating=inst.floating_ip is not None,
            )
            if fip is not None:
                with lock:
                    topology.instances[instance] = replace(inst, floating_ip=IPv4Address(fip))

        lock = threading.Lock()
        concurrently(one, list(topology.instances))
        fips = {i.name: i.floating_ip for i in topology.instances.values()}
        topology.pairs[:] = [
            replace(p, target=fips[p.server] or topology.instances[p.server].address)
            for p in topology.pairs
        ]

    def volumes(self, topology: Topology) -> None:
        options = self.plan.openstack.volume
        assert options is not None

        def one(instance: str) -> None:
            inst = topology.instances[instance]
            cloud = self.clouds[layout.instance_side(topology, instance)]
            project = cloud.project(inst.tenant)
            storage, create = project.conn.block_storage, self.create_as(cloud)
            extra = {"volume_type": options.type} if options.type else {}
            volume = create(
                K.VOLUME,
                lambda name: storage.create_volume(name=name, size=options.size, **extra),
                project_id=project.id,
            )
            self.staged.volumes[instance] = str(volume.id)

        def ready(instance: str) -> None:
            cloud = self.clouds[layout.instance_side(topology, instance)]
            storage = cloud.project(topology.instances[instance].tenant).conn.block_storage
            volume_id = self.staged.volumes[instance]
            self.wait(
                lambda: storage.get_volume(volume_id),
                {"available"},
                f"volume {volume_id}",
                self.plan.openstack.boot_timeout,
            )

        clients = [i.name for i in topology.clients]
        concurrently(one, clients)
        concurrently(ready, clients)

    def boot(
        self,
        cloud: SideCloud,
        tenant: int,
        instance: str,
        role: str,
        user_data: str,
    ) -> None:
        """Boot ``instance`` on its port (``staged.ports``), in its zone, in its role's
        server group, with ``user_data``."""
        project = cloud.project(tenant)
        session = project.booter(instance)
        compute = session.conn.compute
        args: dict[str, Any] = {
            "image_id": cloud.image,
            "flavor_id": cloud.flavor,
            "networks": [{"port": self.staged.ports[instance]}],
            "user_data": base64.b64encode(user_data.encode()).decode("ascii"),
            "metadata": {"squall-run": self.run, "squall-instance": instance},
        }
        zone = cloud.placement.get(instance)
        if zone:
            args["availability_zone"] = zone
        group = project.server_groups.get(role)
        if group is not None:
            args["scheduler_hints"] = {"group": group}
        server = self.create_as(cloud)(
            K.SERVER,
            lambda name: compute.create_server(name=name, **args),
            project_id=project.id,
        )
        self.staged.servers[instance] = str(server.id)
        self.staged.sides[instance] = "client" if cloud.sides == {"client"} else "server"

    def active(self, topology: Topology, instance: str) -> None:
        """Wait until ``instance``'s server is ACTIVE, then attach its volume. A server
        that goes to ERROR raises ``ResourceFailed`` with nova's fault, or
        ``PlacementRace`` when it lost its anti-affinity group's placement race."""
        inst = topology.instances[instance]
        cloud = self.clouds[layout.instance_side(topology, instance)]
        compute = cloud.admin_conn.compute
        server_id = self.staged.servers[instance]
        what = f"server {server_id} ({instance})"
        try:
            server = self.wait(
                lambda: compute.get_server(server_id),
                {"ACTIVE"},
                what,
                self.plan.openstack.boot_timeout,
            )
        except ResourceFailed as exc:
            grouped = inst.role in cloud.project(inst.tenant).server_groups
            fault = _fault(compute, server_id)
            error = PlacementRace if lost_race(fault, grouped) else ResourceFailed
            raise error(f"{exc.message}: {fault}", hint=exc.hint) from exc
        self.staged.hosts[instance] = str(
            getattr(server, "compute_host", None) or getattr(server, "host_id", None) or "?"
        )
        volume = self.staged.volumes.get(instance)
        if volume is not None:
            user = cloud.project(inst.tenant).booter(instance).conn.compute
            with cloud_errors(f"attach volume {volume} to {instance}"):
                user.create_volume_attachment(server_id, volume_id=volume)

    def replace(self, topology: Topology, instance: str, user_data: str) -> None:
        """Delete ``instance``'s failed server, boot it again and wait for it (its
        journal row stays until cleanup sees the server gone)."""
        inst = topology.instances[instance]
        cloud = self.clouds[layout.instance_side(topology, instance)]
        failed = self.staged.servers[instance]
        self.check()
        with cloud_errors(f"delete server {failed} ({instance})"):
            cloud.admin_conn.compute.delete_server(failed, ignore_missing=True)
        self.boot(cloud, inst.tenant, instance, inst.role, user_data)
        try:
            self.active(topology, instance)
        except PlacementRace as exc:
            raise ResourceFailed(
                f"{exc.message} (booted again alone, after its group's other members)",
                hint="the anti-affinity group needs a compute host per member: fewer "
                "instances per role, or `placement: {anti_affinity: false}`",
            ) from exc

    def proxy_port(self, topology: Topology) -> tuple[int, str]:
        """A port and floating IP for the proxy on the first server network: its
        tenant and the floating IP's address."""
        network = next(
            n
            for n in topology.networks.values()
            if layout.network_side(topology, n.name) == "server"
        )
        cloud = self.clouds["server"]
        fip = self._port(cloud, network.tenant, network.name, PROXY, floating=True)
        return network.tenant, str(fip)

    def _port(
        self,
        cloud: SideCloud,
        tenant: int,
        network: str,
        key: str,
        *,
        address: str | None = None,
        floating: bool = False,
    ) -> str | None:
        """A port on ``network`` (at ``address``, else Neutron's pick) in the run's
        security group, stored as ``staged.ports[key]``; with ``floating``, a floating
        IP on it, whose address is returned."""
        project = cloud.project(tenant)
        net, create = project.conn.network, self.create_as(cloud)
        fixed = {"subnet_id": self.staged.subnets[network]}
        if address is not None:
            fixed["ip_address"] = address
        port = create(
            K.PORT,
            lambda name: net.create_port(
                name=name,
                network_id=self.staged.networks[network],
                fixed_ips=[fixed],
                security_groups=[project.security_group],
            ),
            project_id=project.id,
        )
        self.staged.ports[key] = str(port.id)
        if not floating:
            return None
        fip = create(
            K.FLOATING_IP,
            lambda name: net.create_ip(
                floating_network_id=cloud.external, port_id=port.id, description=name
            ),
            project_id=project.id,
        )
        return str(fip.floating_ip_address)

    def wait(self, fetch: Callable[[], Any], ready: set[str], what: str, timeout: float) -> Any:
        def get() -> Any:
            self.check()
            try:
                with cloud_errors(f"get {what}"):
                    return fetch()
            except CloudError as exc:
                if exc.status is not None and exc.status < 500:
                    raise
                return None  # a service restarting (5xx, reset): poll again until the timeout

        policy = WaitPolicy(prepoll=0.0, interval=1.0, timeout=timeout)
        return wait_for_status(
            get, lambda r: str(getattr(r, "status", "") or ""), ready, policy, what=what
        )


def _fault(compute: Any, server_id: str) -> str:
    """Nova's fault message for a server in ERROR ("no fault recorded" if none)."""
    try:
        with cloud_errors(f"get server {server_id}"):
            fault = getattr(compute.get_server(server_id), "fault", None) or {}
    except CloudError as exc:
        return f"its fault could not be read ({exc.message})"
    return str(fault.get("message") or "no fault recorded")


def _rule(group: str, rule: layout.Rule) -> dict[str, Any]:
    return {
        "security_group_id": group,
        "direction": "ingress",
        "ethertype": "IPv4",
        "protocol": rule.protocol,
        "port_range_min": rule.port_min,
        "port_range_max": rule.port_max,
        "remote_ip_prefix": "0.0.0.0/0",
    }


def concurrently(fn: Callable[[str], None], items: list[str]) -> None:
    """``fn`` over ``items`` on a few threads; raises the first error once all ended."""
    if not items:
        return
    with ThreadPoolExecutor(min(WORKERS, len(items)), "squall-os-stage") as pool:
        futures = [pool.submit(fn, item) for item in items]
    for future in futures:
        error = future.exception()
        if error is not None:
            raise error
