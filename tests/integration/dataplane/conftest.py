"""Data-plane integration fixtures: root, the tools of scripts/dataplane-deps, a run dir.

Every namespace and process a test's runs create is removed by the ``workdir``
finalizer from the runs' journals, also when the test fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from squall.dataplane.providers.netns import JOURNAL, Journal, teardown_journal

TOOLS = ("ip", "nft", "nginx", "iperf3", "fio", "ping", "wrk")


def _which(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


@pytest.fixture(scope="session")
def netns_host() -> None:
    """Root and every data-plane tool, or skip (fail under CI=true)."""
    problems = [] if os.geteuid() == 0 else ["not root"]
    missing = [t for t in TOOLS if _which(t) is None]
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    if problems:
        message = f"netns data plane: {'; '.join(problems)} (run scripts/dataplane-deps as root)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture
def workdir(tmp_path: Path, netns_host: None) -> Iterator[Path]:
    base = tmp_path / "dataplane"
    base.mkdir()
    yield base
    for journal_path in base.glob(f"*/{JOURNAL}"):
        teardown_journal(Journal.load(journal_path))
