from squall.openstack.inventory import Found
from squall.openstack.journal import ResourceKind
from squall.openstack.sweep import matcher, of_runs_older_than

A = "0ba6676558a9444ea6e2b324faca2a50"
B = "83465bac5fa04b15adb1a15157e6535d"


def test_one_run_or_all_but_the_running_ones():
    assert matcher(A)("squall-0ba66765-abcd1234")
    assert not matcher(A)("squall-83465bac-abcd1234")
    every_but_b = matcher(None, frozenset({B}))
    assert every_but_b("squall-0ba66765-abcd1234")
    assert not every_but_b("squall-83465bac-abcd1234")
    assert not every_but_b("my-server")


def _found(kind, run, created_at=None):
    return Found(kind, f"{run}-{kind.value}", f"squall-{run}-abcd1234", created_at=created_at)


def test_age_is_a_runs_newest_creation_time_and_undated_resources_go_with_their_run():
    old, live, undated = "0ba66765", "83465bac", "5ca8e0d2"
    found = [
        _found(ResourceKind.NETWORK, old, "2026-01-01T00:00:00Z"),
        _found(ResourceKind.PROJECT, old),  # keystone gives no creation time
        _found(ResourceKind.NETWORK, live, "2026-01-01T00:00:00Z"),  # made long ago...
        _found(ResourceKind.SERVER, live, "2030-01-01T00:00:00Z"),  # ...but still running
        _found(ResourceKind.PROJECT, live),
        _found(ResourceKind.USER, undated),  # a run that has made only its users so far
    ]
    kept = of_runs_older_than(found, cutoff=1_800_000_000)
    assert [(f.kind, f.name.split("-")[1]) for f in kept] == [
        (ResourceKind.NETWORK, old),
        (ResourceKind.PROJECT, old),
    ]
