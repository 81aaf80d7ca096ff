import os
import signal
import subprocess
import sys

import pytest
import yaml

from squall.devcloud import control, procs
from squall.devcloud.config import DevcloudConfig, Ports
from squall.devcloud.state import State, load, save
from squall.errors import DevcloudError


@pytest.fixture
def config(tmp_path):
    # far-away ports: nothing in these tests may touch a real devcloud
    return DevcloudConfig(
        directory=tmp_path / "dc", clouds_yaml=tmp_path / "clouds.yaml", ports=Ports().shifted(31)
    )


def test_merge_keeps_other_clouds_and_is_idempotent(config):
    config.clouds_yaml.write_text(
        yaml.safe_dump({"clouds": {"prod": {"auth": {"auth_url": "https://x"}}}, "x": 1})
    )
    assert control.merge_clouds_yaml(config.clouds_yaml, config)
    merged = yaml.safe_load(config.clouds_yaml.read_text())
    assert set(merged["clouds"]) == {"prod", "devcloud", "devcloud-demo"}
    assert merged["x"] == 1
    assert not control.merge_clouds_yaml(config.clouds_yaml, config)
    control.remove_clouds_entries(config.clouds_yaml, config)
    assert set(yaml.safe_load(config.clouds_yaml.read_text())["clouds"]) == {"prod"}


def test_merge_creates_a_missing_file_private(config):
    control.merge_clouds_yaml(config.clouds_yaml, config)
    assert config.clouds_yaml.stat().st_mode & 0o777 == 0o600


def test_merge_refuses_a_broken_file(config):
    config.clouds_yaml.write_text("clouds: [unclosed\n")
    with pytest.raises(DevcloudError, match="not valid YAML"):
        control.merge_clouds_yaml(config.clouds_yaml, config)
    config.clouds_yaml.write_text("- a list\n")
    with pytest.raises(DevcloudError, match=r"not a clouds\.yaml mapping"):
        control.merge_clouds_yaml(config.clouds_yaml, config)


def test_status_without_a_devcloud_shows_everything_stopped(config):
    rows = control.status(config)
    assert rows[0].name == "mariadb"
    assert {row.state for row in rows} == {"stopped"}
    assert all(row.pid is None for row in rows)


def test_down_without_a_devcloud_does_nothing(config):
    assert control.down(config) == {}


def test_down_stops_recorded_processes_and_wipe_keeps_the_venv(config):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    state = State(config, [procs.Tracked("keystone", child.pid, procs.start_time(child.pid) or 0)])
    save(state)
    (config.directory / "venv").mkdir()
    (config.directory / "logs").mkdir()
    assert control.down(config, wipe=True) == {"keystone": "stopped"}
    assert child.wait(timeout=5) != 0
    assert [p.name for p in config.directory.iterdir()] == ["venv"]


def test_state_roundtrip_and_corrupt_file(config):
    save(State(config, [procs.Tracked("a", os.getpid(), 1)], ready=True))
    loaded = load(config.state_file)
    assert loaded is not None
    assert loaded.ready
    assert loaded.config == config
    assert loaded.tracked("a") == procs.Tracked("a", os.getpid(), 1)
    config.state_file.write_text("{not json")
    with pytest.raises(DevcloudError, match="cannot read the devcloud record"):
        load(config.state_file)


def test_env_text_uses_the_recorded_ports(config):
    save(State(config))
    other = DevcloudConfig(directory=config.directory)
    assert "http://127.0.0.1:5031/v3" in control.env_text(other)
    with pytest.raises(DevcloudError, match="unknown devcloud user"):
        control.env_text(config, "root")


def _fake_service(config, binary):
    """A stand-in for a venv executable: says its PATH, then sleeps."""
    path = config.venv / "bin" / binary
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('#!/bin/sh\necho "PATH=$PATH"\nexec sleep 60\n')
    path.chmod(0o755)


def test_start_and_stop_one_service_by_name(config):
    _fake_service(config, "nova-conductor")
    save(State(config, ready=True))
    started = control.start_service(config, "nova-conductor")
    try:
        assert procs.is_alive(started)
        recorded = load(config.state_file)
        assert recorded is not None and recorded.tracked("nova-conductor") == started
        assert control.start_service(config, "nova-conductor") == started  # already runs
        assert control.service_status(config, "nova-conductor").pid == started.pid
        assert control.stop_service(config, "nova-conductor", grace=5) == "stopped"
        assert not procs.is_alive(started)
        recorded = load(config.state_file)
        assert recorded is not None and recorded.tracked("nova-conductor") is None
        assert recorded.ready
        assert control.stop_service(config, "nova-conductor") == "not running"
        log = (config.logs / "nova-conductor.out").read_text()
        assert f"PATH={config.venv / 'bin'}:" in log  # the environment `up` gives services
    finally:
        procs.signal_all([started.pid], signal.SIGKILL)


def test_one_service_by_name_errors(config):
    with pytest.raises(DevcloudError, match="no devcloud is recorded"):
        control.start_service(config, "keystone")
    save(State(config))
    with pytest.raises(DevcloudError, match="no service 'nova-condutor'") as caught:
        control.stop_service(config, "nova-condutor")
    assert "nova-conductor" in (caught.value.hint or "")
    assert control.service_status(config, "keystone").state == "stopped"
