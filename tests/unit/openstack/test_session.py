"""Token renewal off the clock, on a stand-in for keystoneauth's auth plugin."""

import datetime as dt
from types import SimpleNamespace

from squall.openstack.credentials import CloudSpec, Credential
from squall.openstack.session import UserSession


class FakeAuth:
    """Issues tokens valid for ``lifetime`` seconds from now; counts them."""

    def __init__(self, lifetime: float) -> None:
        self.lifetime = lifetime
        self.issued = 0
        self.auth_ref = self.get_auth_ref(None)

    def get_auth_ref(self, session):
        self.issued += 1
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.lifetime)
        return SimpleNamespace(expires=expires, auth_token=f"token-{self.issued}")


def session_with(auth: FakeAuth) -> UserSession:
    spec = CloudSpec(name="c", auth_url="http://k/v3")
    conn = SimpleNamespace(session=SimpleNamespace(auth=auth), close=lambda: None)
    return UserSession(spec=spec, credential=Credential(username="u"), conn=conn)


def test_a_fresh_token_is_kept():
    auth = FakeAuth(lifetime=3600)
    session = session_with(auth)
    assert session.refresh_if_expiring(margin=600) is False
    assert auth.issued == 1 and session.tokens_issued == 1


def test_a_token_near_expiry_is_replaced_in_one_assignment():
    auth = FakeAuth(lifetime=300)
    session = session_with(auth)
    old = auth.auth_ref
    assert session.refresh_if_expiring(margin=600) is True
    assert auth.auth_ref is not old and auth.auth_ref.auth_token == "token-2"
    assert session.tokens_issued == 2
