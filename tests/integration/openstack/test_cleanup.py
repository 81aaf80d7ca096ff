"""Cleanup from the journal alone: a create whose answer never came is found by name."""

from __future__ import annotations

import pytest

from squall.openstack.cleanup import Cleaner, plan
from squall.openstack.journal import MemoryJournal, ResourceKind, Tracker
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
