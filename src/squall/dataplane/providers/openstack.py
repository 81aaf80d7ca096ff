"""Instances as Nova servers on Neutron networks, staged in KloudBuster's terms.

Per tenant of the plan: a project and its users (``tenancy: create``, as the admin)
or the given user's project (``tenancy: existing``); a security group opening ICMP,
SSH, HTTP and the iperf3 ports; per router of the topology a router (its gateway on
the external network when there is one), its networks and subnets (the topology's
CIDRs) and their interfaces; per instance a port with the topology's fixed address,
in ``full`` mode a floating IP for each server, optionally a Cinder volume for each
client, and anti-affinity server groups. ``start_agents`` boots every server from a
stock image with the agent in its cloud-init user-data (``bootstrap.py``), waits for
ACTIVE and attaches the volumes. With ``openstack.proxy`` a proxy instance relays
the agents to the controller (``openstack_proxy.py``).

Every resource is named ``squall-<run8>-<rand>`` and journaled *before* its create
call (the results store's journal), so teardown, Ctrl-C at any moment and
``squall cleanup --run ID`` delete the same rows in dependency order. Nothing is
created before ``preflight`` has checked the image, flavor, external network,
placement and quotas. Only ``squall.openstack`` imports openstacksdk; this package
calls the connections it hands out.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from squall.dataplane.bootstrap import UserDataTooLarge, render_user_data
from squall.dataplane.plan import Plan
from squall.dataplane.providers import openstack_layout as layout
from squall.dataplane.providers.base import AgentLaunch, Provider
from squall.dataplane.providers.openstack_cloud import Side, SideCloud, resolve_clouds
from squall.dataplane.providers.openstack_placement import settle
from squall.dataplane.providers.openstack_proxy import Dialer, relay_bundle
from squall.dataplane.providers.openstack_stage import PROXY, Staged, Stager, concurrently
from squall.dataplane.topology import Topology
from squall.errors import CloudError, ConfigError, RunAborted
from squall.openstack.cleanup import Cleaner
from squall.openstack.cleanup import plan as cleanup_plan
from squall.openstack.credentials import CloudSpec
from squall.openstack.errors import cloud_errors
from squall.openstack.journal import Journal

AGENT_HOME = "/opt/squall-agent"
RELAY_HOME = "/opt/squall-relay"
#: teardown passes over what is left (a pass failing on a service that restarts)
CLEAN_PASSES = 3
CLEAN_PAUSE = 5.0


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
        self.clouds: dict[Side, SideCloud] = {}
        self.stager: Stager | None = None
        #: the proxy's floating IP and tenant (``openstack.proxy``), once staged
        self.proxy: tuple[int, str] | None = None
        self.dialer: Dialer | None = None
        self._cancel = threading.Event()
        self._busy = threading.Lock()
        self._on_close = on_close
        self._given = clouds

    @property
    def staged(self) -> Staged:
        """Ids of what was staged, by topology name."""
        return self.stager.staged if self.stager is not None else Staged()

    # ---- preflight -----------------------------------------------------------------
    def preflight(self, topology: Topology, tools: set[str]) -> None:
        from squall.dataplane.providers.openstack_preflight import check

        if self.plan.controller.listen is None:
            raise ConfigError(
                "the openstack provider needs controller.listen: the host:port agents "
                "reach squall's controller on",
                hint="set controller: {listen: 'ADDRESS:PORT'} with an address the "
                "tenant networks can reach through their routers (or use openstack.proxy)",
            )
        self._check_user_data_size()
        self.clouds = resolve_clouds(self.plan, self.journal, self.run, self._given)
        try:
            check(self.plan, topology, self.clouds)
        except BaseException:
            self.close()
            raise
        self.stager = Stager(self.plan, self.run, self.clouds, self._cancel)

    def _check_user_data_size(self) -> None:
        """The bundle (with the custom tests) must fit in Nova's user-data."""
        import tempfile

        from squall.dataplane.bundle import build_bundle

        custom = Path(self.plan.custom_tests) if self.plan.custom_tests else None
        with tempfile.TemporaryDirectory(prefix="squall-bundle-") as tmp:
            bundle = build_bundle(Path(tmp) / "agent.pyz", custom).read_bytes()
        launch = AgentLaunch("http://192.0.2.1:1", self.run, Path(tmp), Path(tmp), 1.0)
        self.user_data("t0r0n0s0", "server", "t0r0n0", launch, bundle, "x" * 43)

    # ---- staging -------------------------------------------------------------------
    def stage(self, topology: Topology) -> None:
        with self._busy:
            stager = self._stager()
            for cloud in stager.distinct_clouds():
                cloud.prepare_projects(stager.create_as(cloud), self.plan.scale, stager.check)
            stager.security_groups(len(topology.pairs))
            stager.networks(topology)
            stager.ports(topology)
            if self.plan.openstack.volume is not None:
                stager.volumes(topology)
            if self.plan.openstack.proxy is not None:
                self.proxy = stager.proxy_port(topology)

    def _stager(self) -> Stager:
        if self.stager is None:
            raise RunAborted("nothing to stage: preflight did not run or staging was torn down")
        self.stager.check()
        return self.stager

    # ---- agents --------------------------------------------------------------------
    def start_agents(self, topology: Topology, launch: AgentLaunch) -> None:
        with self._busy:
            stager = self._stager()
            bundle = launch.bundle.read_bytes()
            secret = launch.secret_file.read_text().strip()
            if self.proxy is not None:
                launch = self._start_proxy(stager, topology, launch, secret)

            texts: dict[str, str] = {}

            def boot(instance: str) -> None:
                inst = topology.instances[instance]
                cloud = self.clouds[layout.instance_side(topology, instance)]
                text = self.user_data(instance, inst.role, inst.network, launch, bundle, secret)
                texts[instance] = text
                stager.boot(cloud, inst.tenant, instance, inst.role, text)

            concurrently(boot, list(topology.instances))
            settle(
                topology.instances,
                lambda i: stager.active(topology, i),
                lambda i: stager.replace(topology, i, texts[i]),
                concurrently,
            )

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

    def _start_proxy(
        self, stager: Stager, topology: Topology, launch: AgentLaunch, secret: str
    ) -> AgentLaunch:
        """Boot the proxy with the relay, connect squall's dialer to it, and give the
        agents the proxy's address as the controller's."""
        from squall.dataplane import relay
        from squall.dataplane.run import controller_bind

        assert self.proxy is not None and self.plan.openstack.proxy is not None
        tenant, address = self.proxy
        port = self.plan.openstack.proxy.port
        config = {"secret": secret, "run": self.run, "agent_port": port, "back_port": port + 1}
        text = render_user_data(relay_bundle(), config, packages=("python3",), home=RELAY_HOME)
        cloud = self.clouds["server"]
        stager.boot(cloud, tenant, PROXY, PROXY, text)
        server = stager.staged.servers[PROXY]
        compute = cloud.admin_conn.compute
        stager.wait(
            lambda: compute.get_server(server),
            {"ACTIVE"},
            f"proxy server {server}",
            self.plan.openstack.boot_timeout,
        )
        host, bound = controller_bind(self.plan)
        target = ("127.0.0.1" if host in (None, "", "0.0.0.0") else str(host), bound)
        idle = len(topology.instances) + 4  # each agent holds one connection at a time
        self.dialer = Dialer((address, port + 1), target, relay.token(secret, self.run), idle)
        self.dialer.start()
        return AgentLaunch(
            f"http://{address}:{port}",
            launch.run,
            launch.secret_file,
            launch.bundle,
            launch.register_timeout,
        )

    def host_of(self, instance: str) -> str:
        return self.staged.hosts.get(instance, "?")

    def kill_agent(self, instance: str) -> None:
        """Power the instance off (its agent goes silent, as after a host failure)."""
        server = self.staged.servers.get(instance)
        if server is None or not self.clouds:
            return
        cloud = self.clouds[self.staged.sides.get(instance, "server")]
        with cloud_errors(f"stop server {server}"):
            cloud.admin_conn.compute.stop_server(server)

    # ---- teardown ------------------------------------------------------------------
    def teardown(self) -> None:
        """Delete every journaled resource of the run, in dependency order; idempotent.

        Staging running in another thread (Ctrl-C) stops at its next call first."""
        self._cancel.set()
        if self.dialer is not None:
            self.dialer.stop()
            self.dialer = None
        with self._busy:
            failed = self._clean()
            for _ in range(CLEAN_PASSES - 1):
                if not failed:
                    break
                time.sleep(CLEAN_PAUSE)  # a service restarting: the next pass finds it back
                failed = self._clean()
            self.close()
            if failed:
                raise CloudError(
                    f"{len(failed)} resource(s) could not be deleted: {'; '.join(failed[:5])}",
                    hint=f"squall cleanup --run {self.run}",
                )

    def _clean(self) -> list[str]:
        """One cleanup pass over the run's journal rows, cloud by cloud; what failed."""
        failed = []
        for cloud in {id(c): c for c in self.clouds.values()}.values():
            entries = [e for e in self.journal.entries(self.run) if e.cloud == cloud.spec.label]
            report = Cleaner(cloud.admin_conn, self.journal).run(cleanup_plan(entries, []))
            failed += [f"{item.describe()}: {error}" for item, error in report.failed]
        return failed

    def close(self) -> None:
        """Close the clouds' sessions and the journal's store (teardown does it too)."""
        for cloud in {id(c): c for c in self.clouds.values()}.values():
            cloud.close()
        self.clouds = {}
        if self._on_close is not None:
            self._on_close()
            self._on_close = None


def server_user_data(server: Any) -> str:
    """The user-data of a server as Nova returns it to the admin (base64 decoded)."""
    raw = getattr(server, "user_data", None)
    return base64.b64decode(raw).decode() if raw else ""


def agent_config(user_data: str) -> dict[str, Any]:
    """The JSON config (agent's or relay's) embedded in rendered user-data."""
    body = user_data.split("<<'SQUALL_CONFIG'\n", 1)[1].split("\nSQUALL_CONFIG", 1)[0]
    value: dict[str, Any] = json.loads(body)
    return value
