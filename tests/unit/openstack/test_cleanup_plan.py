from squall.openstack.cleanup import ORDER, carried, must_precede, plan, startable
from squall.openstack.inventory import Found
from squall.openstack.journal import EntryState, JournalEntry, ResourceKind, link_child, link_id

K = ResourceKind
RUN = "0ba6676558a9444ea6e2b324faca2a50"


def entry(i, kind, name, state=EntryState.CREATED, rid=None, parent=None):
    return JournalEntry(i, RUN, "c", kind, name, state, 0.0, rid, None, parent)


def test_dependency_order_of_the_issue():
    rank = {k: i for i, k in enumerate(ORDER)}
    chain = [K.SERVER, K.FLOATING_IP, K.ROUTER_INTERFACE, K.PORT, K.ROUTER, K.SUBNET, K.NETWORK]
    assert [rank[k] for k in chain] == sorted(rank[k] for k in chain)
    assert rank[K.SERVER] < rank[K.VOLUME] < rank[K.IMAGE] < rank[K.USER] < rank[K.PROJECT]
    assert ORDER[-2:] == (K.USER, K.PROJECT)
    assert set(ORDER) == set(ResourceKind)


def test_plan_merges_journal_and_discovery_in_order():
    entries = [
        entry(1, K.PROJECT, "squall-0ba66765-p0000000", rid="p1"),
        entry(2, K.NETWORK, "squall-0ba66765-n0000000", rid="n1"),
        entry(3, K.SERVER, "squall-0ba66765-s0000000", EntryState.CREATING),  # killed mid-create
        entry(4, K.SERVER, "squall-0ba66765-s1111111", EntryState.DELETED, rid="gone"),
        entry(5, K.ROUTER_INTERFACE, "r:sub", rid="sub1", parent="r1"),
        entry(6, K.VOLUME, "squall-0ba66765-v0000000", EntryState.CREATING),  # never reached
    ]
    found = [
        Found(K.SERVER, "s-id", "squall-0ba66765-s0000000", "p1"),
        Found(K.NETWORK, "n1", "squall-0ba66765-n0000000", "p1"),
        Found(K.SUBNET, "sub1", "squall-0ba66765-x0000000", "p1"),  # found by name only
    ]
    items = plan(entries, found)
    assert [(i.kind, i.id) for i in items] == [
        (K.SERVER, "s-id"),
        (K.ROUTER_INTERFACE, "sub1"),
        (K.SUBNET, "sub1"),
        (K.NETWORK, "n1"),
        (K.VOLUME, None),
        (K.PROJECT, "p1"),
    ]
    by_kind = {i.kind: i for i in items}
    assert by_kind[K.SERVER].entries == [3]
    assert by_kind[K.NETWORK].entries == [2]
    assert by_kind[K.ROUTER_INTERFACE].parent_id == "r1"
    assert by_kind[K.VOLUME].entries == [6]
    assert by_kind[K.SUBNET].entries == []


def test_links_are_undone_before_their_parents_are_deleted():
    rank = {k: i for i, k in enumerate(ORDER)}
    assert rank[K.SERVER] < rank[K.AGGREGATE_HOST] < rank[K.AGGREGATE]
    assert rank[K.QOS_ASSOCIATION] < rank[K.QOS] < rank[K.VOLUME_TYPE]


def test_one_host_in_two_aggregates_is_two_leftovers():
    host_in_a, host_in_b = link_id("7", "compute1"), link_id("8", "compute1")
    entries = [
        entry(1, K.AGGREGATE, "squall-0ba66765-a0000000", rid="7"),
        entry(2, K.AGGREGATE, "squall-0ba66765-a1111111", rid="8"),
        entry(3, K.AGGREGATE_HOST, host_in_a, rid=host_in_a, parent="7"),
        entry(4, K.AGGREGATE_HOST, host_in_b, rid=host_in_b, parent="8"),
    ]
    items = plan(entries, [])
    links = [(i.parent_id, link_child(i.parent_id or "", i.id or "")) for i in items[:2]]
    assert sorted(links) == [("7", "compute1"), ("8", "compute1")]
    assert [i.kind for i in items[2:]] == [K.AGGREGATE, K.AGGREGATE]


def test_unrelated_services_are_cleaned_at_the_same_time():
    assert not must_precede(K.NETWORK, K.VOLUME) and not must_precede(K.VOLUME, K.NETWORK)
    assert not must_precede(K.SECURITY_GROUP, K.VOLUME_SNAPSHOT)
    # a security group is used by ports only: not after routers, subnets or networks
    assert must_precede(K.PORT, K.SECURITY_GROUP) and must_precede(K.SERVER, K.SECURITY_GROUP)
    assert not any(must_precede(k, K.SECURITY_GROUP) for k in (K.ROUTER, K.SUBNET, K.NETWORK))
    assert must_precede(K.ROUTER, K.SUBNET) and must_precede(K.SUBNET, K.NETWORK)
    assert must_precede(K.VOLUME_SNAPSHOT, K.VOLUME) and must_precede(K.VOLUME, K.VOLUME_TYPE)
    assert not must_precede(K.SUBNET, K.ROUTER)  # never backwards


def test_servers_first_images_after_volumes_keystone_last():
    assert all(must_precede(K.SERVER, k) for k in ORDER if k is not K.SERVER)
    assert must_precede(K.VOLUME, K.IMAGE) and not must_precede(K.NETWORK, K.IMAGE)
    keystone = [K.ROLE, K.SERVICE, K.USER, K.PROJECT]
    for kind in ORDER:
        if kind not in keystone:
            assert all(must_precede(kind, k) for k in keystone)
    # users and projects go together: keystone drops their role assignments itself
    assert not any(must_precede(a, b) for a in keystone for b in keystone)


def test_startable_kinds_wait_only_for_what_must_precede_them():
    pending = [K.SERVER, K.ROUTER, K.SUBNET, K.NETWORK, K.VOLUME, K.PROJECT]
    assert startable(pending, pending) == [K.SERVER]
    after_servers = pending[1:]
    assert startable(after_servers, after_servers) == [K.ROUTER, K.VOLUME]
    # the routers are still being deleted, the volumes are done
    assert startable([K.SUBNET, K.NETWORK, K.PROJECT], [K.ROUTER, K.SUBNET, K.NETWORK]) == []
    assert startable([K.PROJECT], [K.PROJECT]) == [K.PROJECT]


def test_order_is_a_partial_order_so_something_can_always_start():
    for kinds in (list(ORDER), list(reversed(ORDER)), ORDER[5:], ORDER[::3]):
        assert startable(kinds, kinds), kinds


def test_subnets_seen_in_the_cloud_go_with_their_network():
    found = [
        Found(K.NETWORK, "n1", "squall-0ba66765-n0000000"),
        Found(K.SUBNET, "s1", "squall-0ba66765-s0000000", parent_id="n1"),
        Found(K.SUBNET, "s2", "squall-0ba66765-s1111111", parent_id="n1"),
        Found(K.SUBNET, "s3", "squall-0ba66765-s2222222", parent_id="not-ours"),
    ]
    entries = [entry(1, K.SUBNET, "squall-0ba66765-s3333333", rid="s4")]  # network unknown
    items = plan(entries, found)
    riders = carried(items)
    assert list(riders) == ["n1"]
    assert sorted(i.id or "" for i in riders["n1"]) == ["s1", "s2"]
    assert {i.id for i in items if i.kind is K.SUBNET} == {"s1", "s2", "s3", "s4"}
