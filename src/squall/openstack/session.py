"""One authenticated openstacksdk connection per user, reused by every iteration.

``UserSession.open()`` authenticates and discovers the service endpoints once,
outside any timed step. Iterations share the connection (keystoneauth sessions
are thread-safe). ``refresh_if_expiring()`` swaps in a new token before the old one
expires; the ``TokenKeeper`` thread calls it, so no iteration ever waits for
keystone inside an atomic action.

When renewal happens depends on the token's lifetime (keystone's
``[token] expiration``, an hour by default): the keeper renews once a token has
less than ``min(REFRESH_MARGIN, lifetime / 2)`` left, and keystoneauth's own
re-authentication on the request path (normally two minutes before expiry) is
moved to ``min(120 s, lifetime / 10)`` before it, a fallback for a keeper that
could not reach keystone. Every token fetch, whoever asks for it, is recorded in
the session's ``TokenLog`` with the thread that made it: that is the count behind
the issue's "tokens per run <= users x clouds", and the proof that no iteration
thread fetched one.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from squall import __version__
from squall.errors import CloudError
from squall.openstack import sdk
from squall.openstack.credentials import CloudSpec, Credential
from squall.openstack.errors import cloud_errors

#: Rally's HTTP timeout (``openstack_client_http_timeout``), seconds
HTTP_TIMEOUT = 180.0
#: renew a token this long before it expires (at most; short tokens renew at half life)
REFRESH_MARGIN = 600.0
#: keystoneauth re-authenticates on the request path this long before expiry (its default)
KEYSTONEAUTH_MIN_LIFE = 120.0
#: services whose endpoints are discovered at open, so discovery is never timed
SERVICES = ("compute", "network", "image", "block_storage")
#: the name of the keeper's thread, as recorded in ``TokenFetch.thread``
KEEPER_THREAD = "squall-tokens"


@dataclass(frozen=True)
class TokenFetch:
    """One token keystone issued to a session: when (monotonic) and on which thread."""

    at: float
    thread: str

    @property
    def by_keeper(self) -> bool:
        return self.thread == KEEPER_THREAD


class TokenLog:
    """The tokens fetched for one session, recorded by a wrapper around the auth plugin's
    ``get_auth_ref`` (the one call every keystoneauth token request goes through)."""

    def __init__(self) -> None:
        self._fetches: list[TokenFetch] = []
        self._lock = threading.Lock()

    def record(self) -> None:
        fetch = TokenFetch(at=time.monotonic(), thread=threading.current_thread().name)
        with self._lock:
            self._fetches.append(fetch)

    @property
    def fetches(self) -> list[TokenFetch]:
        with self._lock:
            return list(self._fetches)

    def __len__(self) -> int:
        with self._lock:
            return len(self._fetches)

    def watch(self, auth: Any) -> None:
        """Record every ``auth.get_auth_ref()`` call that returns a token."""
        original: Callable[..., Any] = auth.get_auth_ref

        def get_auth_ref(session: Any, **kwargs: Any) -> Any:
            ref = original(session, **kwargs)
            self.record()
            return ref

        auth.get_auth_ref = get_auth_ref


def margins(lifetime: float | None) -> tuple[float, float]:
    """(keeper's renewal margin, keystoneauth's fallback margin) for a token lifetime."""
    if lifetime is None or lifetime <= 0:
        return REFRESH_MARGIN, KEYSTONEAUTH_MIN_LIFE
    return min(REFRESH_MARGIN, lifetime / 2), min(KEYSTONEAUTH_MIN_LIFE, lifetime / 10)


@dataclass
class UserSession:
    """An authenticated connection for one user of one cloud region."""

    spec: CloudSpec
    credential: Credential
    conn: Any  # openstack.connection.Connection
    tokens: TokenLog = field(default_factory=TokenLog)
    #: seconds a token lives (keystone's ``[token] expiration``), read from the first one
    lifetime: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _closed: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self.tokens.watch(self.conn.session.auth)

    @classmethod
    def open(cls, spec: CloudSpec, credential: Credential) -> UserSession:
        """Connect and authenticate; raise CloudError with a hint if that fails."""
        session = cls(spec=spec, credential=credential, conn=connect(spec, credential))
        with cloud_errors(f"authenticate {credential.label} at {spec.auth_url}"):
            session.conn.authorize()
        session.learn_lifetime()
        session.discover(SERVICES)
        return session

    @property
    def tokens_issued(self) -> int:
        return len(self.tokens)

    @property
    def margin(self) -> float:
        """Renew the token when less than this is left (seconds)."""
        return margins(self.lifetime)[0]

    def learn_lifetime(self) -> None:
        """Read the current token's lifetime and move keystoneauth's own re-auth threshold
        below the keeper's margin, so the keeper renews first."""
        ref = getattr(self.conn.session.auth, "auth_ref", None)
        issued, expires = getattr(ref, "issued", None), getattr(ref, "expires", None)
        if issued is None or expires is None:
            return
        self.lifetime = float((expires - issued).total_seconds())
        self.conn.session.auth.MIN_TOKEN_LIFE_SECONDS = margins(self.lifetime)[1]

    @property
    def user_id(self) -> str:
        return str(self.conn.current_user_id)

    @property
    def project_id(self) -> str:
        return str(self.conn.current_project_id)

    def discover(self, services: Iterable[str]) -> list[str]:
        """Resolve the endpoints (and API versions) of ``services`` now; return those found."""
        found = []
        for service in services:
            proxy = getattr(self.conn, service, None)
            try:
                if proxy is not None and proxy.get_endpoint():
                    found.append(service)
            except Exception:  # a service missing from the catalog is not an error here
                continue
        return found

    def has_service(self, service_type: str) -> bool:
        """True if the catalog lists ``service_type`` (``compute``, ``block-storage``...;
        aliases such as ``volumev3`` are understood)."""
        with cloud_errors("read the service catalog"):
            return bool(self.conn.endpoint_for(service_type))

    def expires_in(self) -> float | None:
        ref = getattr(self.conn.session.auth, "auth_ref", None)
        expires = getattr(ref, "expires", None)
        if expires is None:
            return None
        return float(expires.timestamp() - time.time())

    def refresh_due_in(self, margin: float | None = None) -> float | None:
        """Seconds until the token should be renewed (<= 0: now); None if unknown."""
        left = self.expires_in()
        return None if left is None else left - (self.margin if margin is None else margin)

    def refresh_if_expiring(self, margin: float | None = None) -> bool:
        """Fetch a new token if the current one expires within ``margin`` seconds
        (the session's own margin by default).

        The new token replaces the old one in one assignment, so concurrent
        requests keep a valid token throughout.
        """
        due = self.refresh_due_in(margin)
        if due is None or due > 0:
            return False
        with self._lock:
            due = self.refresh_due_in(margin)
            if self._closed or (due is not None and due > 0):
                return False
            auth, session = self.conn.session.auth, self.conn.session
            with cloud_errors(f"re-authenticate {self.credential.label}"):
                auth.auth_ref = auth.get_auth_ref(session)
            return True

    def close(self) -> None:
        """Close the connection; a renewal under way finishes first, none starts after."""
        with self._lock:
            self._closed = True
        try:
            self.conn.close()
        except Exception:  # closing is best effort: the process may be shutting down
            return


def connect(spec: CloudSpec, credential: Credential) -> Any:
    """An (unauthenticated) openstacksdk Connection for ``credential`` on ``spec``."""
    connection = sdk.connection_module()
    verify: bool | str = spec.cacert if (spec.verify and spec.cacert) else spec.verify
    try:
        with warnings.catch_warnings():  # the SDK's own deprecations are not the user's
            warnings.simplefilter("ignore")
            return connection.Connection(
                auth_type=credential.auth_type,
                auth=credential.auth_dict(spec.auth_url),
                region_name=spec.region_name,
                interface=spec.interface,
                identity_api_version=spec.identity_api_version,
                verify=verify,
                cert=(spec.cert, spec.key) if spec.cert and spec.key else spec.cert,
                api_timeout=HTTP_TIMEOUT,
                app_name="squall",
                app_version=__version__,
                **{f"{svc}_endpoint_override": url for svc, url in spec.endpoint_overrides.items()},
            )
    except Exception as exc:  # bad options are reported by the SDK as its own exceptions
        raise CloudError(
            f"cannot configure a connection to {spec.label}: {exc}",
            hint="check the cloud's settings (auth URL, auth type, TLS files)",
        ) from None


class TokenKeeper:
    """A daemon thread renewing the tokens of the given sessions before they expire.

    It sleeps until the first session's renewal is due (at most ``period`` seconds,
    at least ``min_wait``), so tokens that live seconds are renewed in time too.
    """

    def __init__(
        self, period: float = 30.0, margin: float | None = None, min_wait: float = 0.2
    ) -> None:
        self.period = period
        self.margin = margin
        self.min_wait = min_wait
        self._sessions: list[UserSession] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.errors: list[CloudError] = []

    def watch(self, session: UserSession) -> None:
        with self._lock:
            self._sessions.append(session)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=KEEPER_THREAD, daemon=True)
                self._thread.start()
        self._wake.set()

    def forget(self, session: UserSession) -> None:
        with self._lock:
            self._sessions = [s for s in self._sessions if s is not session]

    def next_wait(self) -> float:
        """Seconds to sleep before the next round."""
        with self._lock:
            sessions = list(self._sessions)
        dues = [d for s in sessions if (d := s.refresh_due_in(self.margin)) is not None]
        return max(self.min_wait, min([self.period, *dues]))

    def renew_due(self) -> None:
        """One round: renew every session whose token is due."""
        with self._lock:
            sessions = list(self._sessions)
        for session in sessions:
            try:
                session.refresh_if_expiring(self.margin)
            except CloudError as exc:  # keystoneauth still re-auths on its own later
                self.errors.append(exc)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.next_wait())
            self._wake.clear()
            if not self._stop.is_set():
                self.renew_due()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
