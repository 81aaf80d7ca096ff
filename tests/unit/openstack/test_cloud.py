"""OpenStackEnv views: a workload that names its cloud acts on it, sharing the rest."""

import pytest

from squall.errors import ConfigError
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import CloudSpec
from squall.openstack.journal import MemoryJournal

EAST = CloudSpec(name="east", auth_url="http://east/v3", region_name="One")
WEST = CloudSpec(name="west", auth_url="http://west/v3", region_name="Two")


def test_a_view_puts_the_named_cloud_first_and_shares_the_journal_and_sessions():
    env = OpenStackEnv(clouds=[EAST, WEST], journal=MemoryJournal())
    west = env.for_cloud("west/Two")
    assert [s.label for s in west.clouds] == ["west/Two", "east/One"]
    assert west.primary is WEST and env.primary is EAST
    assert west.journal is env.journal and west.keeper is env.keeper
    assert west._sessions is env._sessions
    assert env.for_cloud("west").primary is WEST  # the clouds.yaml name alone
    assert west.tracker("r" * 32).cloud == "west/Two"


def test_a_cloud_the_run_does_not_have_is_named_with_the_ones_it_has():
    env = OpenStackEnv(clouds=[EAST, WEST])
    with pytest.raises(ConfigError) as info:
        env.for_cloud("north")
    assert "unknown cloud 'north'" in info.value.message
    assert "east/One, west/Two" in (info.value.hint or "")
