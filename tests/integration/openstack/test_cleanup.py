"""Cleanup from the journal alone: a create whose answer never came is found by name."""

from __future__ import annotations

import time
import uuid

import pytest

from squall.openstack.cleanup import Cleaner, plan
from squall.openstack.credentials import from_clouds_yaml
from squall.openstack.inventory import discover
from squall.openstack.journal import MemoryJournal, ResourceKind, Tracker, link_id
from squall.openstack.naming import NameGenerator
from squall.openstack.ratelimit import RateLimiter
from squall.openstack.sweep import clean, find_leftovers, matcher

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]
RUN = "c1eaa0c1eaa0c1eaa0c1eaa0c1eaa0c1"


def test_rows_without_an_id_are_found_by_name_and_deleted(conn):
    journal = MemoryJournal()
    tracker = Tracker(journal, RUN, "devcloud/RegionOne", scope="w")
    name = NameGenerator(RUN)()
    tracker.begin(ResourceKind.NETWORK, name)  # killed before the create call answered
    network = conn.network.create_network(name=name)
    ghost = tracker.begin(ResourceKind.SUBNET, NameGenerator(RUN)())  # never reached neutron
    report = Cleaner(conn, journal).run(plan(journal.entries(RUN), []))
    assert report.ok, report.failed
    assert conn.network.find_network(network.id) is None
    assert journal.entries(RUN) == []
    assert ghost not in {e.id for e in journal.entries(RUN)}


def test_cleanup_is_idempotent(conn):
    journal = MemoryJournal()
    tracker = Tracker(journal, RUN, "devcloud/RegionOne")
    name = NameGenerator(RUN)()
    entry = tracker.begin(ResourceKind.SECURITY_GROUP, name)
    group = conn.network.create_security_group(name=name)
    tracker.created(entry, group.id)
    items = plan(journal.entries(RUN), [])
    conn.network.delete_security_group(group)  # someone else deleted it first
    report = Cleaner(conn, journal).run(items)
    assert report.ok and [i.id for i in report.deleted] == [group.id]
    assert Cleaner(conn, journal).run(plan(journal.entries(RUN), [])).planned == []


def _tracked(tracker, kind, name, create):
    """Journal, create (``create(name)``), complete the row: as squall does."""
    entry = tracker.begin(kind, name)
    resource = create(name)
    tracker.created(entry, str(resource.id))
    return resource


def test_links_are_undone_before_their_parents_are_deleted(conn):
    """A QoS spec still associated with a volume type and an aggregate still holding a
    host (one link journaled, one whose call never answered) are deleted all the same."""
    journal = MemoryJournal()
    tracker = Tracker(journal, RUN, "devcloud/RegionOne", scope="w")
    names = NameGenerator(RUN)
    storage, compute = conn.block_storage, conn.compute
    vtype = _tracked(
        tracker, ResourceKind.VOLUME_TYPE, names(), lambda n: storage.create_type(name=n)
    )
    qos = _tracked(tracker, ResourceKind.QOS, names(), lambda n: storage.create_qos_spec(name=n))
    link = link_id(qos.id, vtype.id)
    tracker.created(
        tracker.begin(ResourceKind.QOS_ASSOCIATION, link, parent_id=qos.id),
        link,
    )
    storage.associate_qos_spec(qos, vtype.id)
    aggregate = _tracked(
        tracker, ResourceKind.AGGREGATE, names(), lambda n: compute.create_aggregate(name=n)
    )
    host = next(iter(compute.hypervisors(details=True))).service_details["host"]
    tracker.begin(  # killed before nova answered: the row has no id
        ResourceKind.AGGREGATE_HOST, link_id(str(aggregate.id), host), parent_id=str(aggregate.id)
    )
    compute.add_host_to_aggregate(aggregate, host)

    report = Cleaner(conn, journal).run(plan(journal.entries(RUN), []))

    assert report.ok, report.failed
    assert storage.find_qos_spec(qos.id) is None
    assert storage.find_type(vtype.id) is None
    assert compute.find_aggregate(str(aggregate.id)) is None
    assert journal.entries(RUN) == []


def _named(conn, prefix):
    listings = {
        "network": conn.network.networks(),
        "subnet": conn.network.subnets(),
        "router": conn.network.routers(),
        "volume": conn.block_storage.volumes(),
    }
    found = {k: [r.id for r in v if (r.name or "").startswith(prefix)] for k, v in listings.items()}
    return {k: v for k, v in found.items() if v}


def _settled(conn, volume_ids):
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        statuses = {conn.block_storage.get_volume(v).status for v in volume_ids}
        if statuses == {"available"}:
            return
        time.sleep(1)
    raise AssertionError(f"volumes still {statuses}")


def test_leftovers_found_by_name_router_in_use_subnets_and_volumes(conn):
    """What a killed run leaves, found by name alone: a router with a gateway and an
    interface (neutron refuses to delete it until detached), its subnet (deleted with
    its network), a bare router, and more volumes than are read one by one."""
    run = uuid.uuid4().hex
    names = NameGenerator(run)
    net = conn.network
    public = next(iter(net.networks(is_router_external=True)), None)
    network = net.create_network(name=names())
    subnet = net.create_subnet(
        name=names(), network_id=network.id, ip_version=4, cidr="10.214.0.0/24"
    )
    gateway = {"network_id": public.id} if public is not None else None
    router = net.create_router(name=names(), external_gateway_info=gateway)
    net.add_interface_to_router(router, subnet_id=subnet.id)
    net.create_router(name=names())
    volumes = [conn.block_storage.create_volume(name=names(), size=1).id for _ in range(5)]
    _settled(conn, volumes)
    prefix = f"squall-{run[:8]}-"
    spec = from_clouds_yaml("devcloud")
    limiter = RateLimiter(50)
    try:
        search = find_leftovers(conn, None, spec, run, limiter=limiter)
        assert len(search.leftovers) == 2 + 2 + 5 and search.unlisted == []
        started = time.monotonic()
        report = clean(conn, None, search, limiter=limiter)
        elapsed = time.monotonic() - started
    finally:
        left = _named(conn, prefix)
        if left:  # leave the shared devcloud clean even when the code under test failed
            Cleaner(conn, None, rate=0).run(plan([], discover(conn, matcher(run)).found))
    assert report.ok, report.failed
    assert left == {}
    assert {i.id for i in report.deleted} >= {subnet.id, router.id, *volumes}
    # the find's listings, ~13 deletes and detaches, then at most one listing a second
    # for the five volumes (polls once a second): not one read per volume per poll
    assert limiter.calls <= 40 + elapsed


def _available_backup(conn, name, volume_id, **kwargs):
    backup = conn.block_storage.create_backup(name=name, volume_id=volume_id, **kwargs)
    deadline = time.monotonic() + 600
    while (backup := conn.block_storage.get_backup(backup.id)).status != "available":
        assert backup.status != "error" and time.monotonic() < deadline, backup.status
        time.sleep(1)
    return backup


def test_cleanup_run_removes_a_killed_runs_trunk_and_backup_chain(squall, conn):
    """What a killed trunk or backup scenario leaves, found by name alone: a trunk with a
    subport (neutron refuses to delete its ports first), and a full and an incremental
    backup of a volume (cinder refuses the full one while the incremental exists)."""
    run = uuid.uuid4().hex
    names = NameGenerator(run)
    net, storage = conn.network, conn.block_storage
    network = net.create_network(name=names())
    parent, sub = (net.create_port(name=names(), network_id=network.id) for _ in range(2))
    subport = {"port_id": sub.id, "segmentation_type": "vlan", "segmentation_id": 101}
    trunk = net.create_trunk(name=names(), port_id=parent.id, sub_ports=[subport])
    volume = storage.create_volume(name=names(), size=1)
    _settled(conn, [volume.id])
    full = _available_backup(conn, names(), volume.id)
    incremental = _available_backup(conn, names(), volume.id, is_incremental=True)
    assert storage.get_backup(incremental.id).is_incremental
    try:
        dry = squall("cleanup", "--run", run, "--dry-run", "--cloud", "devcloud")
        assert dry.code == 0, dry.err
        assert dry.out.count("neutron.trunk") == 1 and dry.out.count("cinder.backup") == 2
        result = squall("cleanup", "--run", run, "--cloud", "devcloud")
        left = [f"{f.kind} {f.name}" for f in discover(conn, matcher(run)).found]
    finally:
        if discover(conn, matcher(run)).found:  # leave the shared devcloud clean in any case
            Cleaner(conn, None, rate=0).run(plan([], discover(conn, matcher(run)).found))
    assert result.code == 0, result.out + result.err
    assert left == []
    assert net.find_trunk(trunk.id) is None
    assert all(net.find_port(p.id) is None for p in (parent, sub))
    assert all(storage.find_backup(b.id) is None for b in (full, incremental))
    assert storage.find_volume(volume.id) is None


def test_a_members_cleanup_cleans_its_project_and_names_what_it_could_not_list(squall, conn):
    """With a member's credentials (devcloud-demo) nova and cinder refuse the listings
    of every project: cleanup falls back to the user's own project, deletes its
    leftovers found by name, and names the kinds only an admin may list."""
    from squall.openstack.session import UserSession

    spec = from_clouds_yaml("devcloud-demo")
    assert spec.admin is not None
    demo = UserSession.open(spec, spec.admin)
    run = uuid.uuid4().hex
    names = NameGenerator(run)
    try:
        network = demo.conn.network.create_network(name=names())
        volume = demo.conn.block_storage.create_volume(name=names(), size=1)
        group = demo.conn.compute.create_server_group(name=names(), policy="affinity")
        _settled(demo.conn, [volume.id])
        result = squall("cleanup", "--run", run, "--cloud", "devcloud-demo")
        left = [f"{f.kind} {f.name}" for f in discover(conn, matcher(run)).found]
    finally:
        if discover(conn, matcher(run)).found:  # leave the shared devcloud clean in any case
            Cleaner(conn, None, rate=0).run(plan([], discover(conn, matcher(run)).found))
        demo.close()
    assert result.code == 0, result.out + result.err
    assert left == []
    assert "deleted 3 of 3" in result.out
    assert "may not list" in result.out and "keystone.project" in result.out
    assert conn.network.find_network(network.id) is None
    assert conn.block_storage.find_volume(volume.id) is None
    assert conn.compute.find_server_group(group.id) is None
