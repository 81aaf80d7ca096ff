"""Real services for integration tests: the PostgreSQL and Redis of scripts/services.

Their URLs come from the environment (``SQUALL_TEST_PG_URL``, ``SQUALL_TEST_REDIS_URL``)
or from the env file scripts/services writes. A service that cannot be reached
skips its tests on a developer's machine, with the reason; under CI (``CI=true``)
it fails them, so CI never passes by skipping.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import psycopg
import pytest

SERVICES_DIR = Path(os.environ.get("SQUALL_SERVICES_DIR", "/var/tmp/squall-services"))


def _service_url(name: str) -> str | None:
    if os.environ.get(name):
        return os.environ[name]
    env_file = SERVICES_DIR / "env"
    if env_file.is_file():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == name and value.strip():
                return value.strip()
    return None


def _unavailable(reason: str) -> NoReturn:
    message = f"{reason} (start it with: sudo scripts/services start)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), 3):
            return True
    except OSError:
        return False


def _service(name: str, what: str) -> str:
    url = _service_url(name)
    if url is None:
        _unavailable(f"{what}: no {name} in the environment nor in {SERVICES_DIR / 'env'}")
    if not _reachable(url):
        _unavailable(f"{what} at {urlsplit(url).hostname}:{urlsplit(url).port} is not reachable")
    return url


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The URL of the test PostgreSQL database (``squall_test``)."""
    return _service("SQUALL_TEST_PG_URL", "PostgreSQL")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The URL of the test Redis server."""
    return _service("SQUALL_TEST_REDIS_URL", "Redis")


@pytest.fixture
def postgres_schema_url(postgres_url: str) -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema, dropped afterwards."""
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in postgres_url else "?"
    yield f"{postgres_url}{separator}options=-csearch_path%3D{schema}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
