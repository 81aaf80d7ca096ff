"""``down`` stops every process the devcloud started and leaves nothing behind.

Runs after every other test (``devcloud_last``), since it stops the shared devcloud. It
only runs when this test run started the devcloud, so a developer's long-lived devcloud is
left alone unless SQUALL_DEVCLOUD_TEST_DOWN=1.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from squall.devcloud import control, procs
from squall.devcloud.services import all_services
from squall.devcloud.state import load

pytestmark = [pytest.mark.integration, pytest.mark.devcloud, pytest.mark.devcloud_last]


def _mentions(directory: Path) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            line = procs.command_line(int(entry.name))
            state = procs.state_of(int(entry.name))
            if str(directory) in line and state not in (None, "Z"):
                found.append((int(entry.name), line))
    return found


def test_down_leaves_no_process_behind(devcloud):
    if not devcloud.started_here and os.environ.get("SQUALL_DEVCLOUD_TEST_DOWN") != "1":
        pytest.skip(
            "the devcloud was running before this test run: left up "
            "(set SQUALL_DEVCLOUD_TEST_DOWN=1 to test down on it)"
        )
    config = devcloud.config
    state = load(config.state_file)
    assert state is not None
    tree = procs.children_map()
    every_pid = {pid for proc in state.procs for pid in procs.tree_pids(proc.pid, tree)}
    assert len(every_pid) > len(state.procs)  # gunicorn workers, beam's helpers, ...

    outcome = control.down(config)

    assert set(outcome) == {service.name for service in all_services(config)}
    alive = [pid for pid in every_pid if procs.state_of(pid) not in (None, "Z")]
    assert alive == []
    assert _mentions(config.directory) == []
    for service in all_services(config):
        if service.port:
            assert procs.port_free(service.port), f"{service.name} port {service.port} busy"
    assert {row.state for row in control.status(config)} == {"stopped"}
    after = load(config.state_file)
    assert after is not None
    assert after.procs == []
    assert not after.ready
