import pytest

from squall.openstack.journal import (
    EntryState,
    MemoryJournal,
    NewEntry,
    ResourceKind,
    Tracker,
)
from squall.results.journal import StoreJournal
from squall.results.store import Store

RUN = "0ba6676558a9444ea6e2b324faca2a50"


@pytest.fixture(params=["memory", "store"])
def journal(request, tmp_path):
    if request.param == "memory":
        yield MemoryJournal()
        return
    store = Store.open(str(tmp_path / "j.db"))
    yield StoreJournal(store)
    store.close()


def test_row_lifecycle(journal):
    tracker = Tracker(journal, RUN, "cloud/R", scope="w1")
    a = tracker.begin(ResourceKind.SERVER, "squall-0ba66765-aaaaaaaa", project_id="p")
    b = tracker.begin(ResourceKind.SERVER, "squall-0ba66765-bbbbbbbb")
    c = tracker.begin(ResourceKind.VOLUME, "squall-0ba66765-cccccccc")
    tracker.created(a, "id-a")
    tracker.failed(c)
    assert {e.id: e.state for e in journal.entries(RUN)} == {
        a: EntryState.CREATED,
        b: EntryState.CREATING,
        c: EntryState.FAILED,
    }
    row = next(e for e in journal.entries(RUN) if e.id == a)
    assert (row.resource_id, row.project_id, row.scope, row.cloud) == ("id-a", "p", "w1", "cloud/R")
    tracker.deleted(ResourceKind.SERVER, "id-a")
    assert a not in {e.id for e in journal.entries(RUN)}
    assert a in {e.id for e in journal.entries(RUN, live_only=False)}
    assert journal.entries("f" * 32) == []


def test_deleted_is_per_run_and_kind(journal):
    mine = journal.begin(NewEntry(RUN, "c", ResourceKind.NETWORK, "n"))
    other = journal.begin(NewEntry("e" * 32, "c", ResourceKind.NETWORK, "n"))
    journal.created(mine, "same-id")
    journal.created(other, "same-id")
    journal.deleted(RUN, ResourceKind.SUBNET, "same-id")
    journal.deleted(RUN, ResourceKind.NETWORK, "same-id")
    assert [e.id for e in journal.entries()] == [other]


def test_a_link_id_names_both_ends_and_gives_the_child_back():
    from squall.openstack.journal import link_child, link_id

    rid = link_id("8", "devcloud-compute1")
    assert rid != link_id("7", "devcloud-compute1")
    assert link_child("8", rid) == "devcloud-compute1"
    assert link_child("qos", link_id("qos", "type/with/slashes")) == "type/with/slashes"
