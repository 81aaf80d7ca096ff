"""The data plane's openstack provider on the devcloud: staging, user-data, cleanup, preflight.

The devcloud's fake virt driver boots no VM, so no agent ever registers: these tests
look at what was staged (read back from Nova and Neutron as the admin), at the
user-data each server got, and at the cloud after teardown, ``squall cleanup`` and
Ctrl-C. The agent path itself is proven on netns (tests/integration/dataplane).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from squall.dataplane import topology as topo_mod
from squall.dataplane.bundle import build_bundle, bundle_signature
from squall.dataplane.plan import Plan
from squall.dataplane.providers.base import AgentLaunch
from squall.dataplane.providers.openstack import OpenStackProvider, agent_config, server_user_data
from squall.dataplane.topology import Topology
from squall.errors import CloudError, ConfigError, RunAborted
from squall.openstack.credentials import CloudSpec, Credential
from squall.openstack.journal import EntryState, Journal, MemoryJournal, ResourceKind
from squall.openstack.naming import NameGenerator, is_squall_name

pytestmark = [
    pytest.mark.integration,
    pytest.mark.devcloud,
    pytest.mark.filterwarnings("ignore::Warning:openstack"),
]
IMAGE = "cirros-0.6.3-x86_64-disk"
K = ResourceKind
R = TypeVar("R")


def _steady(call: Callable[[], R], attempts: int = 6) -> R:
    """``call()``, again after a pause when a devcloud service is down: other tests
    sharing the devcloud kill and restore services (resilience)."""
    for _ in range(attempts - 1):
        try:
            return call()
        except CloudError as exc:
            if exc.status is not None and exc.status < 500:
                raise
            time.sleep(10)
    return call()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _plan(mode: str, cloud: str = "devcloud", **overrides: Any) -> Plan:
    body: dict[str, Any] = {
        "provider": "openstack",
        "network_mode": mode,
        "scale": {"servers_per_network": 1, "clients_per_server": 1},
        "clouds": {"server": cloud},
        "openstack": {"image": IMAGE, "flavor": "m1.nano", "boot_timeout": 120},
        "controller": {"listen": f"127.0.0.1:{_free_port()}", "register_timeout": 1},
        "tests": [{"name": "tcp", "tool": "iperf3", "duration": 1}],
    }
    for key, value in overrides.items():
        body[key] = {**body.get(key, {}), **value} if isinstance(value, dict) else value
    return Plan.model_validate(body)


@dataclass
class Staged:
    provider: OpenStackProvider
    topology: Topology
    journal: Journal
    run: str
    bundle: Path
    secret: str

    def server(self, conn: Any, instance: str) -> Any:
        return conn.compute.get_server(self.provider.staged.servers[instance])


def _stage(tmp_path: Path, plan: Plan, journal: Journal | None = None) -> Staged:
    run = uuid.uuid4().hex
    journal = journal or MemoryJournal()
    topology = topo_mod.build(plan)
    provider = OpenStackProvider(plan, run, tmp_path / run, journal)
    provider.preflight(topology, set())
    secret = "s3cret-" + run[:8]
    (tmp_path / "secret").write_text(secret)
    bundle = build_bundle(tmp_path / "agent.pyz")
    staged = Staged(provider, topology, journal, run, bundle, secret)
    try:
        provider.stage(topology)
        launch = AgentLaunch(
            f"http://{plan.controller.listen}", run, tmp_path / "secret", bundle, 1.0
        )
        provider.start_agents(topology, launch)
    except BaseException:
        provider.teardown()
        raise
    return staged


@pytest.fixture
def staging(tmp_path: Path, conn: Any) -> Iterator[list[Staged]]:
    """Stagings a test makes; torn down at the end whatever happened."""
    made: list[Staged] = []
    yield made
    for staged in made:
        staged.provider.teardown()


def _check_user_data(staged: Staged, conn: Any, controller: str | None = None) -> None:
    signature = bundle_signature(staged.bundle, staged.secret)
    controller = controller or f"http://{staged.provider.plan.controller.listen}"
    for name in staged.topology.instances:
        server = staged.server(conn, name)
        assert server.status == "ACTIVE"
        assert is_squall_name(server.name, staged.run)
        text = server_user_data(server)
        assert text.startswith(f"#!/bin/sh\n# squall data-plane agent bootstrap (run {staged.run})")
        assert signature in text
        config = agent_config(text)
        assert config["agent_id"] == name
        assert config["run"] == staged.run
        assert config["controller"] == controller
        assert config["secret"] == staged.secret


def _fixed_ips(conn: Any, staged: Staged) -> dict[str, str]:
    ports = staged.provider.staged.ports
    return {
        name: conn.network.get_port(port).fixed_ips[0]["ip_address"] for name, port in ports.items()
    }


def _live(journal: Journal, run: str) -> list[Any]:
    return [e for e in journal.entries(run) if e.state is not EntryState.DELETED]


def test_single_network_in_the_given_users_project_with_a_proxy(tmp_path, conn, cloud, staging):
    before = _steady(cloud.snapshot)
    plan = _plan(
        "single-network",
        "devcloud-demo",
        openstack={"tenancy": "existing", "proxy": {"port": 7790}},
    )
    staged = _stage(tmp_path, plan)
    staging.append(staged)
    demo = conn.identity.find_project("demo").id
    kinds = [e.kind for e in staged.journal.entries(staged.run)]
    assert kinds.count(K.SERVER) == 3  # server, client, proxy
    assert kinds.count(K.NETWORK) == kinds.count(K.ROUTER) == 1
    assert kinds.count(K.FLOATING_IP) == 1  # the proxy's
    assert K.PROJECT not in kinds
    for name in [*staged.topology.instances, "proxy"]:
        assert staged.server(conn, name).project_id == demo
    proxy_port = staged.provider.staged.ports["proxy"]
    address = next(ip.floating_ip_address for ip in conn.network.ips() if ip.port_id == proxy_port)
    assert staged.provider.proxy == (0, address)
    relay = agent_config(server_user_data(staged.server(conn, "proxy")))
    assert (relay["agent_port"], relay["back_port"], relay["run"]) == (7790, 7791, staged.run)
    _check_user_data(staged, conn, controller=f"http://{address}:7790")
    group = conn.network.get_security_group(
        conn.network.get_port(staged.provider.staged.ports["proxy"]).security_group_ids[0]
    )
    opened = {
        (r["protocol"], r["port_range_min"], r["port_range_max"])
        for r in group.security_group_rules
    }
    assert ("tcp", 7790, 7791) in opened and ("tcp", 5201, 5201) in opened
    addresses = _fixed_ips(conn, staged)
    for name, inst in staged.topology.instances.items():
        assert addresses[name] == str(inst.address)  # the topology's plan, made real
    pair = staged.topology.pairs[0]
    assert str(pair.target) == addresses[pair.server]
    staged.provider.teardown()
    assert _live(staged.journal, staged.run) == []
    assert _steady(lambda: cloud.leaked(before, staged.run)) == []


def test_single_router_in_new_projects_then_squall_cleanup_after_a_crash(
    tmp_path, conn, cloud, monkeypatch
):
    from squall.api.cleanup import CleanupRequest, cleanup
    from squall.api.openstack import CloudOptions
    from squall.results.journal import StoreJournal
    from squall.results.store import Store

    before = _steady(cloud.snapshot)
    store = Store.open(f"sqlite:///{tmp_path / 'squall.db'}")
    journal = StoreJournal(store)
    plan = _plan("single-router", scale={"users_per_tenant": 2})
    staged = _stage(tmp_path, plan, journal)
    try:
        kinds = [e.kind for e in journal.entries(staged.run)]
        assert kinds.count(K.PROJECT) == 1 and kinds.count(K.USER) == 2
        assert kinds.count(K.ROUTER) == 1 and kinds.count(K.ROUTER_INTERFACE) == 2
        project = next(e.resource_id for e in journal.entries(staged.run) if e.kind is K.PROJECT)
        users = {e.resource_id for e in journal.entries(staged.run) if e.kind is K.USER}
        router = conn.network.get_router(staged.provider.staged.routers["t0r0"])
        assert router.external_gateway_info["network_id"] == conn.network.find_network("public").id
        for name in staged.topology.instances:
            server = staged.server(conn, name)
            assert server.project_id == project
            assert server.user_id in users
        _check_user_data(staged, conn)
        client, server = staged.topology.pairs[0].client, staged.topology.pairs[0].server
        assert (
            staged.topology.instances[client].network != staged.topology.instances[server].network
        )
    finally:
        staged.provider.close()  # the process "dies": no teardown
    request = CleanupRequest(run=staged.run, clouds=CloudOptions(clouds=("devcloud",)))
    try:
        results = _steady(lambda: cleanup(request, store, journal))
        assert all(r.report.ok for r in results), [r.report.failed for r in results]
        assert _live(journal, staged.run) == []
    finally:
        store.close()
    assert _steady(lambda: cloud.leaked(before, staged.run)) == []


def test_full_mode_floating_ips_volumes_and_placement(tmp_path, conn, cloud, staging):
    before = _steady(cloud.snapshot)
    plan = _plan(
        "full",
        openstack={"volume": {"size": 1}},
        placement={"spread": "hosts", "anti_affinity": True},
    )
    staged = _stage(tmp_path, plan)
    staging.append(staged)
    kinds = [e.kind for e in staged.journal.entries(staged.run)]
    assert kinds.count(K.ROUTER) == 2 and kinds.count(K.FLOATING_IP) == 1
    assert kinds.count(K.VOLUME) == 1 and kinds.count(K.SERVER_GROUP) == 2
    pair = staged.topology.pairs[0]
    fip = next(
        ip for ip in conn.network.ips() if ip.port_id == staged.provider.staged.ports[pair.server]
    )
    assert str(pair.target) == fip.floating_ip_address
    assert is_squall_name(fip.description, staged.run)
    assert staged.provider.host_of(pair.client) != staged.provider.host_of(pair.server)
    client = staged.server(conn, pair.client)
    volume = staged.provider.staged.volumes[pair.client]
    assert [v["id"] for v in client.attached_volumes] == [volume]
    _check_user_data(staged, conn)
    staged.provider.teardown()
    assert _live(staged.journal, staged.run) == []
    assert _steady(lambda: cloud.leaked(before, staged.run)) == []


def test_servers_and_clients_in_two_clouds(tmp_path, conn, cloud, staging):
    """Two clouds.yaml entries (the admin's project and demo's, on one devcloud): the
    server side stages in the first, the client side in the second, in ``full`` mode."""
    before = _steady(cloud.snapshot)
    plan = _plan("full", clouds={"client": "devcloud-demo"}, openstack={"tenancy": "existing"})
    staged = _stage(tmp_path, plan)
    staging.append(staged)
    admin, demo = (conn.identity.find_project(n).id for n in ("admin", "demo"))
    pair = staged.topology.pairs[0]
    assert staged.server(conn, pair.server).project_id == admin
    assert staged.server(conn, pair.client).project_id == demo
    labels = {e.kind: set() for e in staged.journal.entries(staged.run)}
    for entry in staged.journal.entries(staged.run):
        labels[entry.kind].add(entry.cloud)
    assert labels[K.ROUTER] == labels[K.SERVER] == {"devcloud/RegionOne", "devcloud-demo/RegionOne"}
    assert labels[K.FLOATING_IP] == {"devcloud/RegionOne"}
    assert str(pair.target) != str(staged.topology.instances[pair.server].address)
    staged.provider.kill_agent(pair.client)  # in the client's cloud, as its own user
    deadline = time.monotonic() + 120
    while staged.server(conn, pair.client).status != "SHUTOFF":
        assert time.monotonic() < deadline, "the killed agent's server never stopped"
        time.sleep(1)
    staged.provider.teardown()
    assert _live(staged.journal, staged.run) == []
    assert _steady(lambda: cloud.leaked(before, staged.run)) == []


def test_ctrl_c_during_staging_removes_what_was_staged(tmp_path, conn, cloud):
    before = _steady(cloud.snapshot)
    plan = _plan("single-router")
    run = uuid.uuid4().hex
    journal = MemoryJournal()
    topology = topo_mod.build(plan)
    provider = OpenStackProvider(plan, run, tmp_path / run, journal)
    provider.preflight(topology, set())
    errors: list[BaseException] = []

    def stage() -> None:
        try:
            provider.stage(topology)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=stage)
    thread.start()
    deadline = time.monotonic() + 120
    while not any(e.kind is K.NETWORK for e in journal.entries(run)):
        assert thread.is_alive() and time.monotonic() < deadline, errors
        time.sleep(0.05)
    provider.teardown()  # what the run does once Ctrl-C cancelled it
    thread.join(60)
    assert len(errors) == 1 and isinstance(errors[0], RunAborted)
    assert _live(journal, run) == []
    assert _steady(lambda: cloud.leaked(before, run)) == []


def test_the_cli_run_fails_when_no_agent_registers_and_leaves_nothing(squall, conn, cloud):
    before = _steady(cloud.snapshot)
    plan = _plan("single-network", openstack={"tenancy": "existing"})  # clouds: from --cloud
    plan_file = squall.workdir / "plan.yaml"
    plan_file.write_text(json.dumps(plan.model_dump(mode="json", exclude={"clouds"})))
    workdir = squall.workdir / "work"
    result = squall(
        "dataplane", "run", str(plan_file), "--cloud", "devcloud", "--workdir", str(workdir)
    )
    assert result.code == 1, result.out + result.err
    assert "2 of 2 agents did not register: t0r0n0s0, t0r0n0s0c0" in result.err + result.out
    assert "Traceback" not in result.err
    run = next(p.name for p in workdir.iterdir())
    from squall.results.journal import StoreJournal
    from squall.results.store import Store

    store = Store.open(f"sqlite:///{squall.db}")
    try:
        rows = StoreJournal(store).entries(run, live_only=False)
        assert {e.kind for e in rows} >= {K.SERVER, K.PORT, K.NETWORK, K.SECURITY_GROUP}
        assert all(e.state is EntryState.DELETED for e in rows)
        assert {e.cloud for e in rows} == {"devcloud/RegionOne"}
    finally:
        store.close()
    assert _steady(lambda: cloud.leaked(before, run)) == []


def _crashed_record(staged: Staged, workdir: Path) -> Any:
    """The run document a squall process killed mid-run leaves: ``running``, a dead pid."""
    import subprocess

    from squall.dataplane.results import RunRecord, write_results

    child = subprocess.Popen(["true"])
    child.wait()
    plan = staged.provider.plan
    record = RunRecord(
        staged.run,
        "crashed",
        "openstack",
        plan.network_mode,
        plan.model_dump(mode="json"),
        time.time(),
        pid=child.pid,
    )
    record.environment = {"host": socket.gethostname()}
    (workdir / staged.run).mkdir(parents=True, exist_ok=True)
    write_results(record, workdir / staged.run)
    return record


def _crash(workdir: Path, db: Path, journaled: str) -> tuple[Staged, int]:
    """A run staged, its process "dead" (no teardown), its document left as a killed run
    leaves it; the number of live journal rows (journaled in ``db``, or in memory)."""
    from squall.dataplane.results import run_dict
    from squall.dataplane.store import DataplaneStore
    from squall.results.journal import StoreJournal
    from squall.results.store import Store

    workdir.mkdir()
    store = Store.open(f"sqlite:///{db}")
    try:
        journal: Journal = StoreJournal(store) if journaled == "store" else MemoryJournal()
        staged = _stage(workdir, _plan("single-router", scale={"users_per_tenant": 2}), journal)
        staged.provider.close()
        try:
            record = _crashed_record(staged, workdir)
            if journaled == "store":
                DataplaneStore(store).save(run_dict(record))
        except BaseException:
            _sweep(staged.run)
            raise
        return staged, len(_live(journal, staged.run))
    finally:
        store.close()


def _stored_rows(db: Path, run: str) -> int:
    from squall.results.journal import StoreJournal
    from squall.results.store import Store

    store = Store.open(f"sqlite:///{db}")
    try:
        return len(_live(StoreJournal(store), run))
    finally:
        store.close()


def _sweep(run: str) -> None:
    from squall.api.cleanup import CleanupRequest, cleanup
    from squall.api.openstack import CloudOptions

    request = CleanupRequest(run=run, clouds=CloudOptions(clouds=("devcloud",)))
    _steady(lambda: cleanup(request, None, None))


def _clean_with_the_cli(
    squall: Any, cloud: Any, before: Any, run: str, workdir: Path, journaled: str, rows: int
) -> None:
    args = ("--workdir", str(workdir))
    shown = squall("dataplane", "status", run[:12], *args)
    assert "abandoned" in shown.out, shown.out + shown.err

    dry = squall("dataplane", "cleanup", run[:12], "--dry-run", *args)
    assert dry.code == 0, dry.out + dry.err
    assert f"run {run}: openstack, abandoned" in dry.out
    assert "devcloud/RegionOne: would delete" in dry.out
    if journaled == "store":
        assert _stored_rows(squall.db, run) == rows  # nothing went
    assert _steady(lambda: cloud.leaked(before, run)) != []

    done = squall("dataplane", "cleanup", run[:12], *args)
    for _ in range(3):  # a devcloud service restarted by another test: cleanup is idempotent
        if done.code == 0:
            break
        time.sleep(10)
        done = squall("dataplane", "cleanup", run[:12], *args)
    assert done.code == 0, done.out + done.err
    assert "devcloud/RegionOne: deleted" in done.out
    again = squall("dataplane", "cleanup", "--run", run, *args)
    assert again.code == 0, again.out + again.err
    assert "devcloud/RegionOne: nothing to clean." in again.out
    if journaled == "store":
        assert _stored_rows(squall.db, run) == 0
    assert _steady(lambda: cloud.leaked(before, run)) == []

    unknown = squall("dataplane", "cleanup", "0000dead", *args)
    assert unknown.code == 1
    assert "error: no data-plane run matches '0000dead'" in unknown.err
    assert "Traceback" not in unknown.err


@pytest.mark.parametrize("journaled", ["store", "memory"])
def test_dataplane_cleanup_of_a_crashed_run(squall, conn, cloud, journaled):
    """``squall dataplane cleanup RUN`` after a crash: ``squall cleanup``'s code path, from
    the results store's journal, or (a run with ``--no-store``) by name in the plan's cloud."""
    before = _steady(cloud.snapshot)
    workdir = squall.workdir / "work"
    staged, rows = _crash(workdir, squall.db, journaled)
    try:
        _clean_with_the_cli(squall, cloud, before, staged.run, workdir, journaled, rows)
    finally:  # whatever failed above, nothing stays in the shared devcloud
        _sweep(staged.run)


# ---- preflight: a clear error before anything is created -------------------------------


def _preflight(plan: Plan, clouds: list[CloudSpec] | None = None) -> str:
    run = uuid.uuid4().hex
    journal = MemoryJournal()
    provider = OpenStackProvider(plan, run, Path("/nonexistent"), journal, clouds=clouds)
    with pytest.raises(ConfigError) as caught:
        provider.preflight(topo_mod.build(plan), set())
    assert journal.entries(run) == []
    return str(caught.value)


def test_preflight_names_a_missing_image_and_flavor(cloud_up):
    text = _preflight(
        _plan("single-network", openstack={"image": "no-such-image", "flavor": "m9.huge"})
    )
    assert "image 'no-such-image': no image matches" in text
    assert "flavor 'm9.huge': no flavor matches" in text
    assert "cirros" in text  # the hint lists the images there are


def test_preflight_needs_an_external_network_for_full_mode(cloud_up):
    text = _preflight(_plan("full", openstack={"external_network": "no-such-net"}))
    assert "external network 'no-such-net'" in text


def test_preflight_needs_controller_listen_and_enough_hosts(cloud_up):
    plan = _plan("single-network")
    plan.controller.listen = None
    assert "needs controller.listen" in _preflight(plan)
    crowded = _plan(
        "single-network", scale={"servers_per_network": 5}, placement={"anti_affinity": True}
    )
    assert "anti-affinity cannot place 5 instances" in _preflight(crowded)


def test_two_clouds_need_full_mode(cloud_up):
    plan = _plan("single-router", clouds={"client": "devcloud-demo"})
    assert "need network_mode: full" in _preflight(plan)


@pytest.fixture
def small_project(conn: Any) -> Iterator[CloudSpec]:
    """A project with room for one instance and two ports, and its user's cloud spec."""
    names = NameGenerator(uuid.uuid4().hex)
    project = conn.identity.create_project(name=names(), domain_id="default")
    user = conn.identity.create_user(
        name=names(), password="pw-small", domain_id="default", default_project_id=project.id
    )
    try:
        member = conn.identity.find_role("member")
        conn.identity.assign_project_role_to_user(project, user, member)
        conn.compute.update_quota_set(project.id, instances=1)
        conn.network.update_quota(project.id, ports=2)
        credential = Credential(
            username=user.name,
            password="pw-small",
            project_id=project.id,
            project_domain_name=None,
        )
        yield CloudSpec(
            name="dp-small",
            auth_url=conn.session.auth.auth_url,
            region_name="RegionOne",
            admin=credential,
        )
    finally:
        conn.identity.delete_user(user, ignore_missing=True)
        for group in conn.network.security_groups(project_id=project.id):
            conn.network.delete_security_group(group, ignore_missing=True)
        conn.identity.delete_project(project, ignore_missing=True)


def test_preflight_reports_quotas_the_plan_does_not_fit_in(small_project):
    plan = _plan("single-network", openstack={"tenancy": "existing"})
    text = _preflight(plan, [small_project])
    assert "quota instances: the plan needs 2, the limit is 1 with 0 in use" in text
    assert "quota port: the plan needs 3, the limit is 2" in text


def test_preflight_refuses_tenancy_create_without_admin(cloud_up):
    text = _preflight(_plan("single-network", "devcloud-demo"))
    assert "tenancy: create needs an admin user" in text
