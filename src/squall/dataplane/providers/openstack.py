"""Instances as Nova servers on Neutron networks, staged in KloudBuster's terms.

Per tenant of the plan: a project and its users (``tenancy: create``, as the admin)
or the given user's project (``tenancy: existing``); a security group opening ICMP,
SSH, HTTP and the iperf3 ports; per router of the topology a router (its gateway on
the external network when there is one), its networks and subnets (the topology's
CIDRs) and their interfaces; per instance a port with the topology's fixed address,
in ``full`` mode a floating IP for each server, optionally a Cinder volume for each
client, and anti-affinity server groups. ``start_agents`` boots every server from a
stock image with the agent in its cloud-init user-data (``bootstrap.py``), waits for
ACTIVE and attaches the volumes.

Every resource is named ``squall-<run8>-<rand>`` and journaled *before* its create
call (the results store's journal), so teardown, Ctrl-C at any moment and
``squall cleanup --run ID`` delete the same rows in dependency order. Nothing is
created before ``preflight`` has checked the image, flavor, external network,
placement and quotas. Only ``squall.openstack`` imports openstacksdk; this module
calls the connections it hands out.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any, TypeVar

from squall.dataplane.bootstrap import UserDataTooLarge, render_user_data
from squall.dataplane.plan import Plan
from squall.dataplane.providers import openstack_layout as layout
from squall.dataplane.providers.base import AgentLaunch, Provider
from squall.dataplane.providers.openstack_cloud import Side, SideCloud, resolve_clouds
from squall.dataplane.topology import Topology
from squall.errors import CloudError, ConfigError, RunAborted
from squall.openstack.cleanup import Cleaner
from squall.openstack.cleanup import plan as cleanup_plan
from squall.openstack.credentials import CloudSpec
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import Journal, ResourceKind
from squall.openstack.naming import NameGenerator
from squall.openstack.tracked import tracked
from squall.openstack.waiters import WaitPolicy, wait_for_status

K = ResourceKind
T = TypeVar("T")
WORKERS = 8
AGENT_HOME = "/opt/squall-agent"


@dataclass
class _Staged:
    """Ids of what staging made, by topology name."""

    networks: dict[str, str] = field(default_factory=dict)
    subnets: dict[str, str] = field(default_factory=dict)
    routers: dict[str, str] = field(default_factory=dict)
    ports: dict[str, str] = field(default_factory=dict)
    volumes: dict[str, str] = field(default_factory=dict)
    servers: dict[str, str] = field(default_factory=dict)
    hosts: dict[str, str] = field(default_factory=dict)


class OpenStackProvider(Provider):
    name = "openstack"

    def __init__(
        self,
        plan: Plan,
        run: str,
        run_dir: Path,
        journal: Journal,
        *,
        on_close: Callable[[], None] | None = None,
        clouds: list[CloudSpec] | None = None,
    ) -> None:
        self.plan = plan
        self.run = run
        self.run_dir = run_dir
        self.journal = journal
        self.names = NameGenerator(run)
        self.staged = _Staged()
        self.clouds: dict[Side, SideCloud] = {}
        self._cancel = threading.Event()
        self._busy = threading.Lock()
        self._lock = threading.Lock()  # staging threads filling ``staged``
        self._on_close = on_close
        self._given = clouds

    # ---- preflight -----------------------------------------------------------------
    def preflight(self, topology: Topology, tools: set[str]) -> None:
        from squall.dataplane.providers.openstack_preflight import check

        if self.plan.controller.listen is None:
            raise ConfigError(
                "the openstack provider needs controller.listen: the host:port agents "
                "reach squall's controller on",
                hint="set controller: {listen: 'ADDRESS:PORT'} with an address the "
                "tenant networks can reach through their routers",
            )
        self.clouds = resolve_clouds(self.plan, self.journal, self.run, self._given)
        try:
            check(self.plan, topology, self.clouds)
        except BaseException:
            self.close()
            raise

    # ---- staging -------------------------------------------------------------------
    def stage(self, topology: Topology) -> None:
        with self._busy:
            if self._cancel.is_set():
                raise RunAborted("staging was interrupted")
            for cloud in self._distinct_clouds():
                cloud.prepare_projects(self._create_as(cloud), self.plan.scale, self._check)
            self._security_groups(len(topology.pairs))
            self._networks(topology)
            self._ports(topology)
            if self.plan.openstack.volume is not None:
                self._volumes(topology)

    def _distinct_clouds(self) -> list[SideCloud]:
        seen: dict[int, SideCloud] = {id(c): c for c in self.clouds.values()}
        return list(seen.values())

    def _check(self) -> None:
        if self._cancel.is_set():
            raise RunAborted("staging was interrupted; everything staged is being removed")

    def _create_as(self, cloud: SideCloud) -> Callable[..., Any]:
        def create(
            kind: ResourceKind,
            make: Callable[[str], T],
            *,
            name: str | None = None,
            project_id: str | None = None,
            parent_id: str | None = None,
            resource_id: Callable[[T], str] = lambda r: str(getattr(r, "id", "")),
        ) -> T:
            self._check()
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

    def _security_groups(self, pairs: int) -> None:
        rules = layout.ingress_rules(self.plan, pairs)
        for cloud in self._distinct_clouds():
            create = self._create_as(cloud)
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

    def _networks(self, topology: Topology) -> None:
        _concurrently(lambda name: self._router(topology, name), list(topology.routers))

    def _router(self, topology: Topology, name: str) -> None:
        router = topology.routers[name]
        cloud = self.clouds[layout.router_side(topology, name)]
        project = cloud.project(router.tenant)
        net = project.conn.network
        gateway = {"network_id": cloud.external} if cloud.external else None
        made = self._create_as(cloud)(
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
        net, create = project.conn.network, self._create_as(cloud)
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

    def _ports(self, topology: Topology) -> None:
        def one(instance: str) -> None:
            inst = topology.instances[instance]
            cloud = self.clouds[layout.instance_side(topology, instance)]
            project = cloud.project(inst.tenant)
            net, create = project.conn.network, self._create_as(cloud)
            port = create(
                K.PORT,
                lambda name: net.create_port(
                    name=name,
                    network_id=self.staged.networks[inst.network],
                    fixed_ips=[
                        {
                            "subnet_id": self.staged.subnets[inst.network],
                            "ip_address": str(inst.address),
                        }
                    ],
                    security_groups=[project.security_group],
                ),
                project_id=project.id,
            )
            self.staged.ports[instance] = str(port.id)
            if inst.floating_ip is None:
                return
            fip = create(
                K.FLOATING_IP,
                lambda name: net.create_ip(
                    floating_network_id=cloud.external, port_id=port.id, description=name
                ),
                project_id=project.id,
            )
            address = IPv4Address(str(fip.floating_ip_address))
            with lock:
                topology.instances[instance] = replace(inst, floating_ip=address)

        lock = threading.Lock()
        _concurrently(one, list(topology.instances))
        fips = {i.name: i.floating_ip for i in topology.instances.values()}
        topology.pairs[:] = [
            replace(p, target=fips[p.server] or topology.instances[p.server].address)
            for p in topology.pairs
        ]

    def _volumes(self, topology: Topology) -> None:
        options = self.plan.openstack.volume
        assert options is not None

        def one(instance: str) -> None:
            inst = topology.instances[instance]
            cloud = self.clouds[layout.instance_side(topology, instance)]
            project = cloud.project(inst.tenant)
            storage, create = project.conn.block_storage, self._create_as(cloud)
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
            self._wait(
                lambda: storage.get_volume(volume_id),
                {"available"},
                f"volume {volume_id}",
                self.plan.openstack.boot_timeout,
            )

        clients = [i.name for i in topology.clients]
        _concurrently(one, clients)
        _concurrently(ready, clients)

    # ---- agents --------------------------------------------------------------------
    def start_agents(self, topology: Topology, launch: AgentLaunch) -> None:
        with self._busy:
            self._check()
            bundle = launch.bundle.read_bytes()
            secret = launch.secret_file.read_text().strip()
            zones = {c.spec.label: c.placement for c in self._distinct_clouds()}

            def boot(instance: str) -> None:
                inst = topology.instances[instance]
                cloud = self.clouds[layout.instance_side(topology, instance)]
                user_data = self.user_data(
                    instance, inst.role, inst.network, launch, bundle, secret
                )
                self._boot(
                    cloud, inst.tenant, instance, inst.role, user_data, zones[cloud.spec.label]
                )

            _concurrently(boot, list(topology.instances))
            _concurrently(lambda i: self._active(topology, i), list(topology.instances))

    def user_data(
        self,
        instance: str,
        role: str,
        network: str,
        launch: AgentLaunch,
        bundle: bytes,
        secret: str,
    ) -> str:
        config = {
            "controller": launch.controller_url,
            "run": launch.run,
            "agent_id": instance,
            "secret": secret,
            "workdir": f"{AGENT_HOME}/work",
            "register_timeout": launch.register_timeout,
            "labels": {"role": role, "network": network},
        }
        try:
            return render_user_data(
                bundle, config, packages=layout.packages(self.plan), home=AGENT_HOME
            )
        except UserDataTooLarge as exc:
            raise ConfigError(
                f"the agent bootstrap does not fit in Nova's user-data: {exc}",
                hint="make the custom tests folder smaller",
            ) from None

    def _boot(
        self,
        cloud: SideCloud,
        tenant: int,
        instance: str,
        role: str,
        user_data: str,
        zones: dict[str, str | None],
    ) -> None:
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
        zone = zones.get(instance)
        if zone:
            args["availability_zone"] = zone
        group = project.server_groups.get(role)
        if group is not None:
            args["scheduler_hints"] = {"group": group}
        server = self._create_as(cloud)(
            K.SERVER,
            lambda name: compute.create_server(name=name, **args),
            project_id=project.id,
        )
        self.staged.servers[instance] = str(server.id)

    def _active(self, topology: Topology, instance: str) -> None:
        inst = topology.instances[instance]
        cloud = self.clouds[layout.instance_side(topology, instance)]
        compute = cloud.admin_conn.compute
        server_id = self.staged.servers[instance]
        server = self._wait(
            lambda: compute.get_server(server_id),
            {"ACTIVE"},
            f"server {server_id} ({instance})",
            self.plan.openstack.boot_timeout,
        )
        self.staged.hosts[instance] = str(
            getattr(server, "compute_host", None) or getattr(server, "host_id", None) or "?"
        )
        volume = self.staged.volumes.get(instance)
        if volume is not None:
            user = cloud.project(inst.tenant).booter(instance).conn.compute
            with cloud_errors(f"attach volume {volume} to {instance}"):
                user.create_volume_attachment(server_id, volume_id=volume)

    def _wait(self, fetch: Callable[[], Any], ready: set[str], what: str, timeout: float) -> Any:
        def get() -> Any:
            self._check()
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

    def host_of(self, instance: str) -> str:
        return self.staged.hosts.get(instance, "?")

    def kill_agent(self, instance: str) -> None:
        """Power the instance off (its agent goes silent, as after a host failure)."""
        server = self.staged.servers.get(instance)
        if server is None:
            return
        cloud = next(iter(self.clouds.values()))
        with cloud_errors(f"stop server {server}"):
            cloud.admin_conn.compute.stop_server(server)

    # ---- teardown ------------------------------------------------------------------
    def teardown(self) -> None:
        """Delete every journaled resource of the run, in dependency order; idempotent.

        Staging running in another thread (Ctrl-C) stops at its next call first."""
        self._cancel.set()
        with self._busy:
            failed = []
            for cloud in self._distinct_clouds():
                entries = [e for e in self.journal.entries(self.run) if e.cloud == cloud.spec.label]
                report = Cleaner(cloud.admin_conn, self.journal).run(cleanup_plan(entries, []))
                failed += [f"{item.describe()}: {error}" for item, error in report.failed]
            self.close()
            if failed:
                raise CloudError(
                    f"{len(failed)} resource(s) could not be deleted: {'; '.join(failed[:5])}",
                    hint=f"squall cleanup --run {self.run}",
                )

    def close(self) -> None:
        """Close the clouds' sessions and the journal's store (teardown does it too)."""
        for cloud in self._distinct_clouds():
            cloud.close()
        self.clouds = {}
        if self._on_close is not None:
            self._on_close()
            self._on_close = None


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


def _concurrently(fn: Callable[[str], None], items: list[str]) -> None:
    """``fn`` over ``items`` on a few threads; raises the first error once all ended."""
    if not items:
        return
    with ThreadPoolExecutor(min(WORKERS, len(items)), "squall-os-stage") as pool:
        futures = [pool.submit(fn, item) for item in items]
    for future in futures:
        error = future.exception()
        if error is not None:
            raise error


def server_user_data(server: Any) -> str:
    """The user-data of a server as Nova returns it to the admin (base64 decoded)."""
    raw = getattr(server, "user_data", None)
    return base64.b64decode(raw).decode() if raw else ""


def agent_config(user_data: str) -> dict[str, Any]:
    """The agent's JSON config embedded in rendered user-data."""
    body = user_data.split("<<'SQUALL_CONFIG'\n", 1)[1].split("\nSQUALL_CONFIG", 1)[0]
    value: dict[str, Any] = json.loads(body)
    return value
