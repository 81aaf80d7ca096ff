"""Token renewal off the clock, on a stand-in for keystoneauth's auth plugin."""

import datetime as dt
import threading
import time
from types import SimpleNamespace

import pytest

from squall.openstack.credentials import CloudSpec, Credential
from squall.openstack.session import (
    KEEPER_THREAD,
    KEYSTONEAUTH_MIN_LIFE,
    REFRESH_MARGIN,
    TokenKeeper,
    UserSession,
    margins,
)


class FakeAuth:
    """Issues tokens valid for ``lifetime`` seconds from now, as keystoneauth's plugin
    does: ``get_access`` re-authenticates through ``self.get_auth_ref`` when the token
    has less than ``MIN_TOKEN_LIFE_SECONDS`` left."""

    MIN_TOKEN_LIFE_SECONDS = 120

    def __init__(self, lifetime: float) -> None:
        self.lifetime = lifetime
        self.issued = 0
        self.auth_ref = None

    def get_auth_ref(self, session):
        self.issued += 1
        now = dt.datetime.now(dt.UTC)
        expires = now + dt.timedelta(seconds=self.lifetime)
        return SimpleNamespace(issued=now, expires=expires, auth_token=f"token-{self.issued}")

    def get_access(self, session):
        left = None if self.auth_ref is None else self.auth_ref.expires.timestamp() - time.time()
        if left is None or left < self.MIN_TOKEN_LIFE_SECONDS:
            self.auth_ref = self.get_auth_ref(session)
        return self.auth_ref


def age(auth: FakeAuth, left: float) -> None:
    """Make the current token one that expires in ``left`` seconds."""
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=left)
    auth.auth_ref.expires = expires
    auth.auth_ref.issued = expires - dt.timedelta(seconds=auth.lifetime)


def session_with(auth: FakeAuth) -> UserSession:
    spec = CloudSpec(name="c", auth_url="http://k/v3")
    conn = SimpleNamespace(session=SimpleNamespace(auth=auth), close=lambda: None)
    session = UserSession(spec=spec, credential=Credential(username="u"), conn=conn)
    auth.get_access(None)  # what ``conn.authorize()`` does in ``UserSession.open``
    session.learn_lifetime()
    return session


def test_a_fresh_token_is_kept():
    auth = FakeAuth(lifetime=3600)
    session = session_with(auth)
    assert session.refresh_if_expiring() is False
    assert auth.issued == 1 and session.tokens_issued == 1


def test_a_token_near_expiry_is_replaced_in_one_assignment():
    auth = FakeAuth(lifetime=300)
    session = session_with(auth)
    old = auth.auth_ref
    assert session.refresh_if_expiring(margin=600) is True
    assert auth.auth_ref is not old and auth.auth_ref.auth_token == "token-2"
    assert session.tokens_issued == 2


def test_a_closed_session_is_not_renewed():
    """The keeper may still hold a session whose user is being deleted."""
    auth = FakeAuth(lifetime=300)
    session = session_with(auth)
    session.close()
    assert session.refresh_if_expiring(margin=600) is False
    assert auth.issued == 1


def test_every_fetch_is_recorded_with_its_thread():
    auth = FakeAuth(lifetime=300)
    session = session_with(auth)
    done = threading.Thread(target=session.refresh_if_expiring, args=(600,), name="worker-1")
    done.start()
    done.join()
    assert [f.thread for f in session.tokens.fetches] == [
        threading.current_thread().name,
        "worker-1",
    ]
    assert not any(f.by_keeper for f in session.tokens.fetches)


def test_keystoneauths_own_reauth_on_the_request_path_is_counted_too():
    auth = FakeAuth(lifetime=3600)
    session = session_with(auth)
    auth.auth_ref = None  # what keystoneauth's ``invalidate()`` does after a 401
    auth.get_access(None)
    assert session.tokens_issued == 2


@pytest.mark.parametrize(
    ("lifetime", "expected"),
    [
        (None, (REFRESH_MARGIN, KEYSTONEAUTH_MIN_LIFE)),
        (3600.0, (600.0, 120.0)),
        (10.0, (5.0, 1.0)),
    ],
)
def test_margins_follow_the_token_lifetime(lifetime, expected):
    assert margins(lifetime) == expected


def test_short_tokens_move_keystoneauths_reauth_below_the_keepers_margin():
    auth = FakeAuth(lifetime=10)
    session = session_with(auth)
    assert session.lifetime == pytest.approx(10)
    assert session.margin == pytest.approx(5)
    reauth_at = auth.MIN_TOKEN_LIFE_SECONDS
    assert reauth_at == pytest.approx(1)
    # a request now does not re-authenticate: the token has more than 1 s left
    auth.get_access(None)
    assert session.tokens_issued == 1


def test_an_hour_long_token_keeps_keystoneauths_default():
    auth = FakeAuth(lifetime=3600)
    session_with(auth)
    reauth_at = auth.MIN_TOKEN_LIFE_SECONDS
    assert reauth_at == pytest.approx(120)


def test_the_keeper_sleeps_until_the_first_renewal_is_due():
    keeper = TokenKeeper(period=30)
    assert keeper.next_wait() == 30
    keeper._sessions.append(session_with(FakeAuth(lifetime=3600)))
    assert keeper.next_wait() == 30
    keeper._sessions.append(session_with(FakeAuth(lifetime=10)))
    assert 4 < keeper.next_wait() <= 5
    keeper._sessions.append(session_with(FakeAuth(lifetime=0.1)))
    assert keeper.next_wait() == keeper.min_wait


def test_a_round_renews_only_the_sessions_that_are_due():
    keeper = TokenKeeper()
    fresh, short = session_with(FakeAuth(lifetime=3600)), session_with(FakeAuth(lifetime=10))
    age(short.conn.session.auth, left=4)  # past half its life: due
    keeper._sessions += [fresh, short]
    keeper.renew_due()
    assert (fresh.tokens_issued, short.tokens_issued) == (1, 2)


def test_the_keeper_renews_on_its_own_thread():
    keeper = TokenKeeper(period=30, min_wait=0.01)
    session = session_with(FakeAuth(lifetime=0.5))
    try:
        keeper.watch(session)
        deadline = time.monotonic() + 10
        while session.tokens_issued < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        keeper.stop()
    renewals = session.tokens.fetches[1:]
    assert len(renewals) >= 2
    assert all(f.thread == KEEPER_THREAD and f.by_keeper for f in renewals)
