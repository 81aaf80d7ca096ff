"""OpenStackEnv views: a workload that names its cloud acts on it, sharing the rest."""

from types import SimpleNamespace

import pytest

from squall.errors import ConfigError
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import CloudSpec, Credential
from squall.openstack.journal import MemoryJournal
from squall.openstack.session import UserSession

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


def test_a_token_that_lands_after_its_session_was_forgotten_is_still_counted():
    """The keeper may be mid-renewal when a user's session is dropped: keystone issued
    that token, so the run's count includes it."""
    auth = SimpleNamespace(get_auth_ref=lambda session: SimpleNamespace())
    conn = SimpleNamespace(session=SimpleNamespace(auth=auth), close=lambda: None)
    session = UserSession(spec=EAST, credential=Credential(username="u"), conn=conn)
    env = OpenStackEnv(clouds=[EAST])
    env._sessions[(EAST.label, "u")] = session
    env.forget(session)
    session.conn.session.auth.get_auth_ref(None)  # the renewal that was under way
    assert env.tokens_issued == 1
    env.close()
