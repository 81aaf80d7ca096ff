"""The devcloud integration tier: one real devcloud per test run, shared by every test.

The ``devcloud`` session fixture reuses a healthy devcloud (as ``up`` does; a concurrent
``up`` is waited for) or brings one up, which takes 2-4 minutes. Tests marked
``devcloud_last`` run after every other test of the session, whatever its directory,
since they stop it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from squall.devcloud import DevcloudConfig, load_config, procs, status, up
from squall.devcloud.state import load


@dataclass(frozen=True)
class Devcloud:
    config: DevcloudConfig
    started_here: bool
    """True when no devcloud ran when this test run began (this run brought it up)."""


def _running() -> bool:
    state = load(load_config().state_file)
    return state is not None and any(procs.is_alive(p) for p in state.procs)


# decided when this conftest is imported, during collection, before any test starts
# (pytest_sessionstart is not called for conftests below the initial ones)
RUNNING_AT_START = _running()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "devcloud_last: run after every other test (stops it)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("devcloud_last") is not None)


def _report(message: str) -> None:
    print(f"devcloud: {message}", file=sys.stderr, flush=True)


@pytest.fixture(scope="session")
def devcloud() -> Iterator[Devcloud]:
    if os.geteuid() != 0:
        pytest.skip("the devcloud runs only as root (it installs Debian packages)")
    result = up(load_config(), report=_report)
    yield Devcloud(result.config, not RUNNING_AT_START)


@pytest.fixture(scope="session")
def conn(devcloud: Devcloud) -> Any:
    """An openstacksdk connection as the devcloud's admin, through its clouds.yaml entry."""
    openstack = pytest.importorskip("openstack")
    connection = openstack.connect(cloud="devcloud")
    yield connection
    connection.close()


@pytest.fixture
def healthy(devcloud: Devcloud) -> DevcloudConfig:
    broken = [row for row in status(devcloud.config) if not row.ok]
    assert not broken, f"devcloud services not running: {broken}"
    return devcloud.config
