"""Cleanup from the journal alone: a create whose answer never came is found by name."""

from __future__ import annotations

import pytest

from squall.openstack.cleanup import Cleaner, plan
from squall.openstack.journal import MemoryJournal, ResourceKind, Tracker, link_id
from squall.openstack.naming import NameGenerator

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
