"""The cloud-init bootstrap: it runs the bundle only when its HMAC matches."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from squall.dataplane.bootstrap import UserDataTooLarge, render_user_data
from squall.dataplane.bundle import build_bundle


def _script(tmp_path, bundle: bytes, secret: str = "k") -> str:
    config = {"controller": "http://10.0.0.1:8080", "run": "r", "agent_id": "a", "secret": secret}
    return render_user_data(bundle, config, packages=(), home=str(tmp_path / "home"))


def _check_only(script: str) -> str:
    """The script up to (and including) the signature check, without starting anything."""
    return script.split("rm -f agent.pyz.b64")[0]


def test_user_data_writes_a_verified_bundle_and_its_config(tmp_path):
    bundle = build_bundle(tmp_path / "agent.pyz").read_bytes()
    script = _script(tmp_path, bundle)
    assert script.startswith("#!/bin/sh")
    assert len(script) < 40_000
    result = subprocess.run(
        ["sh", "-c", _check_only(script)],
        capture_output=True,
        text=True,
        env={"PATH": f"{sys.executable.rsplit('/', 1)[0]}:/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    home = tmp_path / "home"
    assert (home / "agent.pyz").read_bytes() == bundle
    assert json.loads((home / "agent.json").read_text())["agent_id"] == "a"
    assert oct((home / "agent.json").stat().st_mode & 0o777) == "0o600"


def test_a_tampered_bundle_is_not_written(tmp_path):
    bundle = build_bundle(tmp_path / "agent.pyz").read_bytes()
    script = _script(tmp_path, bundle)
    signature = script.split('compare_digest(digest, "')[1][:64]
    forged = _script(tmp_path, bundle + b"\n# extra")
    forged = forged.replace(forged.split('compare_digest(digest, "')[1][:64], signature)
    result = subprocess.run(
        ["sh", "-c", _check_only(forged)],
        capture_output=True,
        text=True,
        env={"PATH": f"{sys.executable.rsplit('/', 1)[0]}:/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "does not match its signature" in result.stderr
    assert not (tmp_path / "home" / "agent.pyz").exists()


def test_packages_are_installed_with_the_images_package_manager(tmp_path):
    config = {"run": "r", "secret": "k"}
    script = render_user_data(b"x", config, packages=("iperf3", "fio"))
    assert "apt-get install -y -qq --no-install-recommends iperf3 fio" in script
    assert "dnf install -y -q iperf3 fio" in script


def test_too_large_user_data_is_refused():
    with pytest.raises(UserDataTooLarge):
        render_user_data(b"x" * 60_000, {"secret": "k"}, packages=())
