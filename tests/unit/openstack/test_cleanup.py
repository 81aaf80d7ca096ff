"""``Cleaner`` on ``FakeCloud``: the order, the calls, the journal, the failures."""

from squall.openstack.cleanup import LIST_ABOVE, Cleaner, plan
from squall.openstack.inventory import discover
from squall.openstack.journal import MemoryJournal, ResourceKind, Tracker
from squall.openstack.ratelimit import RateLimiter
from squall.openstack.sweep import matcher
from squall.openstack.waiters import WaitPolicy
from squall.testing.cloud import FakeCloud

RUN = "0ba6676558a9444ea6e2b324faca2a50"
QUICK = WaitPolicy(prepoll=0.0, interval=0.0, timeout=60.0)


class Names:
    def __init__(self):
        self.n = 0

    def __call__(self):
        self.n += 1
        return f"squall-0ba66765-{self.n:08d}"


def leftovers_of_a_killed_run(cloud, names, *, volumes=5):
    """Networks with subnets, one behind a router with a gateway, groups, volumes."""
    net, storage = cloud.network, cloud.block_storage
    for _ in range(3):
        network = net.create_network(name=names())
        net.create_subnet(name=names(), network_id=network.id)
    routed = net.create_network(name=names())
    subnet = net.create_subnet(name=names(), network_id=routed.id)
    router = net.create_router(name=names(), external_gateway_info={"network_id": "public"})
    net.add_interface_to_router(router, subnet.id)
    net.create_router(name=names())
    for _ in range(2):
        net.create_security_group(name=names())
    for _ in range(volumes - 1):
        storage.create_volume(name=names())
    storage.create_volume(name=names(), status="creating", settle=2)
    return router, subnet


def index(calls, call):
    return calls.index(call)


def test_a_killed_runs_leftovers_are_all_deleted_in_dependency_order():
    cloud, names = FakeCloud(volume_linger=2), Names()
    router, subnet = leftovers_of_a_killed_run(cloud, names)
    items = plan([], discover(cloud, matcher(RUN)).found)
    assert len(items) == 4 + 4 + 2 + 2 + 5
    before = len(cloud.calls)
    limiter = RateLimiter(0)

    report = Cleaner(cloud, limiter=limiter, policy=QUICK).run(items)

    assert report.ok, report.failed
    assert sorted(i.id or "" for i in report.deleted) == sorted(i.id or "" for i in items)
    for kind in ("network", "subnet", "router", "port", "security_group", "volume"):
        assert cloud.things(kind) == [], kind
    calls = cloud.calls[before:]
    assert limiter.calls == len(calls)  # every call took a slot of the rate limit
    # the router with an interface: refused, detached, deleted; then its subnet's network
    refused = index(calls, f"DELETE router {router.id}")
    detached = index(calls, f"PUT router {router.id} remove_router_interface")
    network = index(calls, f"DELETE network {subnet.network_id}")
    assert refused < detached < calls.index(f"DELETE router {router.id}", detached) < network
    # subnets go with their networks: no call of their own
    assert not [c for c in calls if c.startswith("DELETE subnet")]


def test_volumes_are_deleted_while_neutron_is_and_polled_by_one_listing():
    cloud, names = FakeCloud(volume_linger=3), Names()
    leftovers_of_a_killed_run(cloud, names, volumes=8)
    assert LIST_ABOVE < 8
    items = plan([], discover(cloud, matcher(RUN)).found)
    before = len(cloud.calls)

    report = Cleaner(cloud, limiter=RateLimiter(0), policy=QUICK).run(items)

    assert report.ok, report.failed
    calls = cloud.calls[before:]
    # no dependency between networks and volumes: the first volume is deleted before
    # the last network
    first_volume = next(i for i, c in enumerate(calls) if c.startswith("DELETE volume"))
    last_network = max(i for i, c in enumerate(calls) if c.startswith("DELETE network"))
    assert first_volume < last_network
    listings = calls.count("GET volumes")
    reads = [c for c in calls if c.startswith("GET volume ")]
    assert listings <= 3 + 2  # linger 3: one listing a round, not one read per volume
    assert len(reads) <= 3  # only the volume still "creating" is read (until it settles)


def test_journal_rows_are_marked_and_a_second_cleanup_finds_nothing():
    cloud, names = FakeCloud(), Names()
    journal = MemoryJournal()
    tracker = Tracker(journal, RUN, "fake", scope="w")
    net = cloud.network
    for kind, create in (
        (ResourceKind.NETWORK, lambda n: net.create_network(name=n)),
        (ResourceKind.VOLUME, lambda n: cloud.block_storage.create_volume(name=n)),
    ):
        name = names()
        entry = tracker.begin(kind, name)
        tracker.created(entry, create(name).id)
    network = cloud.things("network")[0]
    tracker.created(  # its subnet: journaled, and seen in the cloud with its network
        tracker.begin(ResourceKind.SUBNET, names()),
        net.create_subnet(name=f"squall-0ba66765-{99:08d}", network_id=network.id).id,
    )
    items = plan(journal.entries(RUN), discover(cloud, matcher(RUN)).found)

    report = Cleaner(cloud, journal, limiter=RateLimiter(0), policy=QUICK).run(items)

    assert report.ok, report.failed
    assert journal.entries(RUN) == []
    again = plan(journal.entries(RUN), discover(cloud, matcher(RUN)).found)
    assert again == []


def test_a_network_that_cannot_go_keeps_its_subnets_and_says_why():
    cloud, names = FakeCloud(), Names()
    net = cloud.network
    network = net.create_network(name=names())
    subnet = net.create_subnet(name=names(), network_id=network.id)
    foreign = net.create_router(name="operators-router")  # not squall's: never deleted
    net.add_interface_to_router(foreign, subnet.id)
    items = plan([], discover(cloud, matcher(RUN)).found)

    report = Cleaner(cloud, limiter=RateLimiter(0), policy=QUICK).run(items)

    failed = {item.id: error for item, error in report.failed}
    assert set(failed) == {network.id, subnet.id}
    assert "409" in failed[network.id]
    assert failed[subnet.id].startswith(f"not deleted with neutron.network {network.name}")
    assert [s.id for s in cloud.things("subnet")] == [subnet.id]


def test_a_volume_that_lingers_past_the_timeout_is_a_failure():
    cloud, names = FakeCloud(volume_linger=1000), Names()
    volume = cloud.block_storage.create_volume(name=names())
    items = plan([], discover(cloud, matcher(RUN)).found)
    policy = WaitPolicy(prepoll=0.0, interval=0.0, timeout=0.0)

    report = Cleaner(cloud, limiter=RateLimiter(0), policy=policy).run(items)

    assert [(i.id, e) for i, e in report.failed] == [
        (volume.id, "cinder.volume still exists 0 s after its deletion")
    ]


def test_dry_run_calls_nothing():
    cloud, names = FakeCloud(), Names()
    leftovers_of_a_killed_run(cloud, names)
    items = plan([], discover(cloud, matcher(RUN)).found)
    before = len(cloud.calls)
    report = Cleaner(cloud).run(items, dry_run=True)
    assert report.planned == items and report.deleted == [] and cloud.calls[before:] == []


def a_trunk_with_subports(cloud, names, subports=2):
    """What a killed trunk scenario leaves: a network, ports, a trunk over them."""
    net = cloud.network
    network = net.create_network(name=names())
    ports = [net.create_port(name=names(), network_id=network.id) for _ in range(subports + 1)]
    sub = [{"port_id": p.id, "segmentation_type": "vlan", "segmentation_id": 1} for p in ports[1:]]
    return network, ports, net.create_trunk(name=names(), port_id=ports[0].id, sub_ports=sub)


def test_a_trunk_goes_before_its_parent_port_subports_and_network():
    cloud, names = FakeCloud(), Names()
    network, ports, trunk = a_trunk_with_subports(cloud, names)
    items = plan([], discover(cloud, matcher(RUN)).found)
    assert {i.kind for i in items} >= {ResourceKind.TRUNK, ResourceKind.PORT}
    before = len(cloud.calls)

    report = Cleaner(cloud, limiter=RateLimiter(0), policy=QUICK).run(items)

    assert report.ok, report.failed
    for kind in ("trunk", "port", "network"):
        assert cloud.things(kind) == [], kind
    calls = cloud.calls[before:]
    trunk_gone = index(calls, f"DELETE trunk {trunk.id}")
    assert all(index(calls, f"DELETE port {p.id}") > trunk_gone for p in ports)
    assert index(calls, f"DELETE network {network.id}") > trunk_gone
    assert len([c for c in calls if c.startswith("DELETE port")]) == len(ports)  # none refused


def test_a_disabled_trunk_is_enabled_then_deleted():
    cloud, names = FakeCloud(), Names()
    _, _, trunk = a_trunk_with_subports(cloud, names, subports=1)
    cloud.network.update_trunk(trunk, admin_state_up=False)
    items = plan([], discover(cloud, matcher(RUN)).found)
    before = len(cloud.calls)

    report = Cleaner(cloud, limiter=RateLimiter(0), policy=QUICK).run(items)

    assert report.ok, report.failed
    calls = [c for c in cloud.calls[before:] if "trunk" in c]
    refused_then_enabled = ("DELETE", "GET", "PUT", "DELETE")
    assert calls == [f"{verb} trunk {trunk.id}" for verb in refused_then_enabled]
    assert cloud.things("trunk") == [] and cloud.things("port") == []


def a_backup_chain(cloud, names):
    """A volume, its full backup and two incremental backups, each on the one before."""
    storage = cloud.block_storage
    volume = storage.create_volume(name=names())
    chain = [storage.create_backup(name=names(), volume_id=volume.id)]
    for _ in range(2):
        chain.append(storage.create_backup(name=names(), volume_id=volume.id, incremental=True))
    return volume, chain


def test_incremental_backups_go_newest_first_then_the_full_one_then_the_volume():
    """One worker: asked oldest first, the full backup would wait for its incremental
    backups until the timeout; the band asks for the newest first."""
    cloud, names = FakeCloud(volume_linger=2), Names()
    volume, chain = a_backup_chain(cloud, names)
    items = plan([], discover(cloud, matcher(RUN)).found)
    backups = [i.id for i in items if i.kind is ResourceKind.VOLUME_BACKUP]
    assert backups == [b.id for b in chain]  # the plan's order: the oldest first
    before = len(cloud.calls)
    short = WaitPolicy(prepoll=0.0, interval=0.0, timeout=5.0)

    report = Cleaner(cloud, limiter=RateLimiter(0), policy=short, workers=1).run(items)

    assert report.ok, report.failed
    assert cloud.things("backup") == [] and cloud.things("volume") == []
    calls = cloud.calls[before:]
    asked = [index(calls, f"DELETE backup {b.id}") for b in reversed(chain)]
    assert asked == sorted(asked)
    last_backup = max(i for i, c in enumerate(calls) if c.startswith("DELETE backup"))
    assert index(calls, f"DELETE volume {volume.id}") > last_backup


def test_a_backup_is_refused_until_its_incremental_is_gone_and_then_deleted():
    """Two workers, both backups at once: the full one is refused (400), waited for and
    deleted once its incremental backup has gone."""
    cloud, names = FakeCloud(volume_linger=3), Names()
    storage = cloud.block_storage
    volume = storage.create_volume(name=names())
    full = storage.create_backup(name=names(), volume_id=volume.id)
    storage.create_backup(name=names(), volume_id=volume.id, incremental=True)
    items = plan([], discover(cloud, matcher(RUN)).found)
    before = len(cloud.calls)

    report = Cleaner(cloud, limiter=RateLimiter(0), policy=QUICK, workers=2).run(items)

    assert report.ok, report.failed
    assert cloud.things("backup") == []
    assert cloud.calls[before:].count(f"DELETE backup {full.id}") in (1, 2)


def test_a_backup_still_being_made_is_waited_for_then_deleted():
    cloud, names = FakeCloud(), Names()
    storage = cloud.block_storage
    volume = storage.create_volume(name=names())
    backup = storage.create_backup(name=names(), volume_id=volume.id, status="creating", settle=3)
    items = plan([], discover(cloud, matcher(RUN)).found)

    report = Cleaner(cloud, limiter=RateLimiter(0), policy=QUICK).run(items)

    assert report.ok, report.failed
    assert cloud.things("backup") == [] and cloud.things("volume") == []
    assert cloud.calls.count(f"DELETE backup {backup.id}") == 2  # refused, then accepted


def test_journaled_trunks_and_backups_whose_create_never_answered_are_found_by_name():
    cloud, names = FakeCloud(), Names()
    journal = MemoryJournal()
    tracker = Tracker(journal, RUN, "fake", scope="w")
    _, _, trunk = a_trunk_with_subports(cloud, names)
    tracker.begin(ResourceKind.TRUNK, trunk.name)
    volume, chain = a_backup_chain(cloud, names)
    for backup in chain:
        tracker.begin(ResourceKind.VOLUME_BACKUP, backup.name)
    for port in cloud.things("port"):
        tracker.created(tracker.begin(ResourceKind.PORT, port.name), port.id)
    tracker.created(tracker.begin(ResourceKind.VOLUME, volume.name), volume.id)
    for network in cloud.things("network"):
        tracker.created(tracker.begin(ResourceKind.NETWORK, network.name), network.id)

    report = Cleaner(cloud, journal, limiter=RateLimiter(0), policy=QUICK).run(
        plan(journal.entries(RUN), [])
    )

    assert report.ok, report.failed
    for kind in ("trunk", "port", "network", "backup", "volume"):
        assert cloud.things(kind) == [], kind
    assert journal.entries(RUN) == []


def test_subnets_journaled_with_their_network_go_with_it():
    """The network context journals a subnet's network as its parent: no call of its own."""
    cloud, names = FakeCloud(), Names()
    journal = MemoryJournal()
    tracker = Tracker(journal, RUN, "fake", scope="network:w")
    network = cloud.network.create_network(name=names())
    tracker.created(tracker.begin(ResourceKind.NETWORK, network.name), network.id)
    for _ in range(2):
        subnet = cloud.network.create_subnet(name=names(), network_id=network.id)
        entry = tracker.begin(ResourceKind.SUBNET, subnet.name, parent_id=network.id)
        tracker.created(entry, subnet.id)
    before = len(cloud.calls)

    report = Cleaner(cloud, journal, limiter=RateLimiter(0), policy=QUICK).run(
        plan(journal.entries(RUN), [])
    )

    assert report.ok, report.failed
    assert cloud.things("subnet") == [] and cloud.things("network") == []
    assert cloud.calls[before:] == [f"DELETE network {network.id}"]
    assert journal.entries(RUN) == []
