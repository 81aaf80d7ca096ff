"""One authenticated openstacksdk connection per user, reused by every iteration.

``UserSession.open()`` authenticates and discovers the service endpoints once,
outside any timed step. Iterations share the connection (keystoneauth sessions
are thread-safe). ``refresh_if_expiring()`` swaps in a new token before the old one
expires; the context's ``TokenKeeper`` thread calls it, so no iteration ever waits
for keystone inside an atomic action. ``tokens_issued`` counts what keystone was
asked for (the issue's "tokens per run <= users x clouds").
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from squall import __version__
from squall.errors import CloudError
from squall.openstack import sdk
from squall.openstack.credentials import CloudSpec, Credential
from squall.openstack.errors import cloud_errors

#: Rally's HTTP timeout (``openstack_client_http_timeout``), seconds
HTTP_TIMEOUT = 180.0
#: renew a token this long before it expires
REFRESH_MARGIN = 600.0
#: services whose endpoints are discovered at open, so discovery is never timed
SERVICES = ("compute", "network", "image", "block_storage")


@dataclass
class UserSession:
    """An authenticated connection for one user of one cloud region."""

    spec: CloudSpec
    credential: Credential
    conn: Any  # openstack.connection.Connection
    tokens_issued: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, spec: CloudSpec, credential: Credential) -> UserSession:
        """Connect and authenticate; raise CloudError with a hint if that fails."""
        conn = connect(spec, credential)
        with cloud_errors(f"authenticate {credential.label} at {spec.auth_url}"):
            conn.authorize()
        session = cls(spec=spec, credential=credential, conn=conn)
        session.discover(SERVICES)
        return session

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

    def refresh_if_expiring(self, margin: float = REFRESH_MARGIN) -> bool:
        """Fetch a new token if the current one expires within ``margin`` seconds.

        The new token replaces the old one in one assignment, so concurrent
        requests keep a valid token throughout.
        """
        left = self.expires_in()
        if left is None or left > margin:
            return False
        with self._lock:
            left = self.expires_in()
            if left is not None and left > margin:
                return False
            auth, session = self.conn.session.auth, self.conn.session
            with cloud_errors(f"re-authenticate {self.credential.label}"):
                auth.auth_ref = auth.get_auth_ref(session)
            self.tokens_issued += 1
            return True

    def close(self) -> None:
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
            )
    except Exception as exc:  # bad options are reported by the SDK as its own exceptions
        raise CloudError(
            f"cannot configure a connection to {spec.label}: {exc}",
            hint="check the cloud's settings (auth URL, auth type, TLS files)",
        ) from None


class TokenKeeper:
    """A daemon thread renewing the tokens of the given sessions before they expire."""

    def __init__(self, period: float = 30.0, margin: float = REFRESH_MARGIN) -> None:
        self.period = period
        self.margin = margin
        self._sessions: list[UserSession] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.errors: list[CloudError] = []

    def watch(self, session: UserSession) -> None:
        with self._lock:
            self._sessions.append(session)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="squall-tokens", daemon=True
                )
                self._thread.start()

    def forget(self, session: UserSession) -> None:
        with self._lock:
            self._sessions = [s for s in self._sessions if s is not session]

    def _loop(self) -> None:
        while not self._stop.wait(self.period):
            with self._lock:
                sessions = list(self._sessions)
            for session in sessions:
                try:
                    session.refresh_if_expiring(self.margin)
                except CloudError as exc:  # keystoneauth still re-auths on its own later
                    self.errors.append(exc)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
