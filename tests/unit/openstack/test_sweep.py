from squall.openstack.sweep import _created_before, matcher

A = "0ba6676558a9444ea6e2b324faca2a50"
B = "83465bac5fa04b15adb1a15157e6535d"


def test_one_run_or_all_but_the_running_ones():
    assert matcher(A)("squall-0ba66765-abcd1234")
    assert not matcher(A)("squall-83465bac-abcd1234")
    every_but_b = matcher(None, frozenset({B}))
    assert every_but_b("squall-0ba66765-abcd1234")
    assert not every_but_b("squall-83465bac-abcd1234")
    assert not every_but_b("my-server")


def test_age_filter_reads_the_apis_timestamps():
    assert _created_before("2026-01-01T00:00:00Z", cutoff=1_800_000_000)
    assert not _created_before("2030-01-01T00:00:00", cutoff=1_800_000_000)
    assert _created_before(None, cutoff=0) and _created_before("garbage", cutoff=0)
