"""`kill -9` of `squall task start` at random moments during boot-and-delete at
concurrency 5, then `squall cleanup --run ID`: the cloud is as it was before."""

from __future__ import annotations

import json
import random
import signal
import time

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.devcloud, pytest.mark.slow]

TASK = {
    "version": 2,
    "title": "kill me",
    "subtasks": [
        {
            "title": "boot and delete",
            "workloads": [
                {
                    "scenario": {
                        "NovaServers.boot_and_delete_server": {
                            "image": {"regex": "^cirros"},
                            "flavor": {"name": "m1.nano"},
                            "waits": {
                                "nova_server_boot": {"prepoll": 0.2, "interval": 0.5},
                                "nova_server_delete": {"prepoll": 0.2, "interval": 0.5},
                            },
                        }
                    },
                    "runner": {"constant": {"times": 30, "concurrency": 5}},
                    "contexts": {
                        "users": {"tenants": 2, "users_per_tenant": 1},
                        "network": {},
                        "keypair": {},
                        "allow_ssh": {},
                    },
                }
            ],
        }
    ],
}
#: seconds after the run started: during contexts setup, early load, later load
MOMENTS = [(0.5, 3.0), (5.0, 12.0), (12.0, 30.0)]


def _kill_at(squall, delay: float) -> str:
    proc = squall.popen(
        "task", "start", squall.task_file("kill.json", json.dumps(TASK)), "--cloud", "devcloud"
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert "started" in first, first + proc.stdout.read()
    run_id = first.split()[1]
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    return run_id


@pytest.mark.parametrize("window", MOMENTS, ids=["setup", "early-load", "late-load"])
def test_sigkill_then_cleanup_leaves_the_cloud_as_it_was(squall, cloud, window):
    before = cloud.snapshot()
    delay = random.uniform(*window)
    run_id = _kill_at(squall, delay)
    dry = squall("cleanup", "--run", run_id, "--dry-run", "--cloud", "devcloud")
    assert dry.code == 0, dry.out + dry.err
    result = squall("cleanup", "--run", run_id, "--cloud", "devcloud")
    assert result.code == 0, f"killed after {delay:.1f} s\n{result.out}{result.err}"
    left = cloud.leaked(before, run_id, squall.db)
    assert not left, f"killed after {delay:.1f} s, left: {left}"
    again = squall("cleanup", "--run", run_id, "--cloud", "devcloud")
    assert again.code == 0 and "nothing to clean" in again.out, again.out + again.err
