"""Bad input and faults: one clear message, exit 1, nothing left running.

Each test uses its own directory and ports far from the shared devcloud's, and fails
before any OpenStack service starts, so the shared devcloud is never disturbed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from squall.devcloud import control, load_config, procs, up
from squall.devcloud.state import State, save
from squall.errors import DevcloudError

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

SQUALL = Path(sys.executable).with_name("squall")
OFFSET = 7000  # every port stays below the ephemeral range (32768+)


def _config(tmp_path: Path, **kw):
    return load_config(
        directory=tmp_path / "dc", port_offset=OFFSET, clouds_yaml=tmp_path / "clouds.yaml", **kw
    )


def test_not_root_gets_one_message_and_exit_1(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to drop to an unprivileged user")
    tmp_path.chmod(0o777)
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*nobody, sys.executable, "-c", "import squall"], check=False)
    if probe.returncode != 0:
        pytest.skip("an unprivileged user cannot run this checkout's venv (private directory)")
    up_args = ["devcloud", "up", "--dir", str(tmp_path / "dc"), "--port-offset", str(OFFSET)]
    out = subprocess.run(
        [*nobody, str(SQUALL), *up_args],
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert "must run as root" in out.stderr
    assert "Traceback" not in out.stderr


def test_port_already_taken_names_the_port_and_its_owner(tmp_path):
    config = _config(tmp_path)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", config.ports.keystone))
        squatter.listen()
        with pytest.raises(DevcloudError) as caught:
            up(config)
    message = str(caught.value)
    assert f"port 127.0.0.1:{config.ports.keystone} for keystone is already taken" in message
    assert f"PID {os.getpid()}" in message
    assert "--port-offset" in message
    assert control.status(config)[0].state == "stopped"


def test_half_started_devcloud_is_reported_and_down_clears_it(tmp_path):
    config = _config(tmp_path)
    sleeper = subprocess.Popen(["sleep", "120"])
    try:
        tracked = procs.Tracked("keystone", sleeper.pid, procs.start_time(sleeper.pid) or 0)
        save(State(config, [tracked], ready=False))
        with pytest.raises(DevcloudError, match="half up") as caught:
            up(config)
        assert "squall devcloud down" in str(caught.value)
        assert control.down(config) == {"keystone": "stopped"}
        assert sleeper.wait(timeout=10) != 0
    finally:
        sleeper.kill()
        sleeper.wait()


def test_pip_failure_is_reported_and_leaves_nothing_running(tmp_path):
    bad = tmp_path / "constraints.txt"
    bad.write_text("keystone==0.0.0.1\n")
    config = _config(tmp_path, constraints=bad)
    with pytest.raises(DevcloudError) as caught:
        up(config)
    message = str(caught.value)
    assert "pip could not install OpenStack" in message
    assert "keystone" in message
    assert not (config.venv / ".squall-devcloud").exists()
    assert all(row.state == "stopped" for row in control.status(config))


def test_cli_error_has_no_traceback(tmp_path):
    out = subprocess.run(
        [str(SQUALL), "devcloud", "up", "--dir", str(tmp_path), "--computes", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert "computes" in out.stderr
    assert "Traceback" not in out.stderr
