"""Is each OpenStack API answering, and how fast? One cheap call per endpoint per period."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any, ClassVar, Literal

from pydantic import Field

from squall.errors import CloudError
from squall.monitors._openstack import CLOUD_HELP, open_session
from squall.monitors.base import Monitor, MonitorConfig, Probe, timed
from squall.openstack.session import UserSession

#: calls per endpoint that may hang at once before new samples queue behind them
HANGING = 8

Endpoint = Literal["token", "servers", "networks", "volumes", "images"]
ALL: tuple[Endpoint, ...] = ("token", "servers", "networks", "volumes", "images")
#: endpoint -> (service proxy attribute, path)
CALLS: dict[str, tuple[str, str]] = {
    "servers": ("compute", "/servers?limit=1"),
    "networks": ("network", "/networks?limit=1"),
    "volumes": ("block_storage", "/volumes?limit=1"),
    "images": ("image", "/images?limit=1"),
}


class ApiConfig(MonitorConfig):
    period: float = Field(0.5, ge=0.05, description="seconds between samples (0.2-1 s)")
    endpoints: list[Endpoint] = Field(default_factory=lambda: list(ALL))
    cloud: str | None = Field(None, description=CLOUD_HELP)
    timeout: float = Field(5.0, gt=0, description="a call without an answer by then fails")


class ApiMonitor(Monitor):
    """Per endpoint: ``token`` (a new keystone token), ``servers``, ``networks``,
    ``volumes``, ``images`` (a one-item list), each on its own schedule; an
    HTTP status of 400 or more, a refused connection, or no answer within ``timeout``
    is a failure (a hung call does not hold the next samples back)."""

    name: ClassVar[str] = "api"
    Config: ClassVar = ApiConfig

    def __init__(self, config: Any, env: Any = None) -> None:
        super().__init__(config, env)
        self._session: UserSession | None = None
        self._pool: ThreadPoolExecutor | None = None

    @property
    def cfg(self) -> ApiConfig:
        assert isinstance(self.config, ApiConfig)
        return self.config

    def start(self) -> None:
        self._session = open_session(self.cfg.cloud, self.env)
        # its own session: every call of this monitor gives up after ``timeout``
        self._session.conn.session.timeout = self.cfg.timeout
        # room for calls still hanging from earlier samples
        workers = HANGING * len(self.cfg.endpoints)
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="squall-api")

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        if self._session is not None:
            self._session.close()

    def call(self, endpoint: str) -> Callable[[], object]:
        assert self._session is not None
        conn = self._session.conn
        if endpoint == "token":
            return lambda: conn.session.auth.get_auth_ref(conn.session)
        proxy_name, path = CALLS[endpoint]
        timeout = self.cfg.timeout
        proxy = getattr(conn, proxy_name)

        def listing() -> None:
            answer = proxy.get(path, raise_exc=False, timeout=timeout)
            if answer.status_code >= 400:
                raise CloudError(f"HTTP {answer.status_code}", status=answer.status_code)

        return listing

    def sample(self) -> list[Probe]:
        return [probe for endpoint in self.cfg.endpoints for probe in self.probe(endpoint)]

    def probe(self, endpoint: str) -> list[Probe]:
        """One call to ``endpoint``, failed when it has no answer within ``timeout``."""
        assert self._pool is not None
        timeout = self.cfg.timeout
        future = self._pool.submit(timed, endpoint, self.call(endpoint))
        wait([future], timeout=timeout)
        if future.done():
            return [future.result()]
        return [Probe(endpoint, False, timeout, detail=f"no answer within {timeout:g} s")]

    def lanes(self) -> list[Monitor]:
        """One lane per endpoint: a slow keystone does not thin out the nova samples."""
        return [_Endpoint(self, endpoint) for endpoint in self.cfg.endpoints]


class _Endpoint(Monitor):
    """One endpoint of an ``api`` monitor, sampled on its own grid (not registered)."""

    name: ClassVar[str] = "api"

    def __init__(self, parent: ApiMonitor, endpoint: str) -> None:
        super().__init__(parent.config, parent.env)
        self.parent = parent
        self.endpoint = endpoint

    def sample(self) -> list[Probe]:
        return self.parent.probe(self.endpoint)
