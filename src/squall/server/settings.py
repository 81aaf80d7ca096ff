"""How a server is started: its token, store and plugins."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

from squall.errors import ConfigError

MIN_TOKEN = 16


@dataclass(frozen=True, slots=True)
class ServerSettings:
    token: str | None
    db_url: str | None = None
    plugin_paths: list[Path] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 8000
    insecure_dev: bool = False  # no token: only on a loopback address
    progress_interval: float = 0.5  # seconds between SSE progress events
    dataplane_dir: Path | None = None  # where data-plane runs keep their files

    @property
    def dataplane_workdir(self) -> Path:
        """``dataplane_dir``, or the CLI's default (<user data dir>/squall/dataplane)."""
        return self.dataplane_dir or Path(user_data_dir("squall")) / "dataplane"


def checked(settings: ServerSettings) -> ServerSettings:
    """Refuse a server without a token unless --insecure-dev on a loopback address."""
    if settings.token is None:
        if not settings.insecure_dev:
            raise ConfigError(
                "the server needs a bearer token",
                hint="pass --token or set SQUALL_SERVER_TOKEN "
                "(or --insecure-dev on 127.0.0.1 for local development)",
            )
        if not is_loopback(settings.host):
            raise ConfigError(
                f"--insecure-dev serves without a token, so only on a loopback address, "
                f"not {settings.host}",
                hint="use --host 127.0.0.1, or give a token",
            )
    elif len(settings.token) < MIN_TOKEN:
        raise ConfigError(f"the token is too short: use at least {MIN_TOKEN} characters")
    return settings


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
