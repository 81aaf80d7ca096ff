import time

from squall.openstack.cleanup import ORDER, RateLimiter, plan
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


def test_rate_limiter_spaces_calls():
    limiter = RateLimiter(rate=200.0)
    start = time.monotonic()
    for _ in range(5):
        limiter.wait()
    assert limiter._next - start >= 5 / 200.0 - 1e-6  # the schedule, not a timing assertion
    RateLimiter(rate=0).wait()  # unlimited never sleeps


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
