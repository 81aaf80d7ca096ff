"""Is each OpenStack API answering, and how fast? One cheap call per endpoint per period."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar, Literal

from pydantic import Field

from squall.errors import CloudError
from squall.monitors._openstack import open_session
from squall.monitors.base import Monitor, MonitorConfig, Probe, timed
from squall.openstack.session import UserSession

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
    cloud: str | None = Field(None, description="clouds.yaml entry (default: the run's cloud)")


class ApiMonitor(Monitor):
    """Per endpoint: ``token`` (a new keystone token), ``servers``, ``networks``,
    ``volumes``, ``images`` (a one-item list). All endpoints are probed at once; an
    HTTP status of 400 or more, a timeout or a refused connection is a failure."""

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
        self._pool = ThreadPoolExecutor(len(self.cfg.endpoints), thread_name_prefix="squall-api")

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        if self._session is not None:
            self._session.close()

    def call(self, endpoint: str) -> Callable[[], object]:
        assert self._session is not None
        conn = self._session.conn
        if endpoint == "token":
            return lambda: conn.session.auth.get_auth_ref(conn.session)
        proxy_name, path = CALLS[endpoint]
        proxy = getattr(conn, proxy_name)

        def listing() -> None:
            answer = proxy.get(path, raise_exc=False)
            if answer.status_code >= 400:
                raise CloudError(f"HTTP {answer.status_code}", status=answer.status_code)

        return listing

    def sample(self) -> list[Probe]:
        assert self._pool is not None
        futures = [
            self._pool.submit(timed, endpoint, self.call(endpoint))
            for endpoint in self.cfg.endpoints
        ]
        return [f.result() for f in futures]
