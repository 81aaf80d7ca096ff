import os

import pytest

from squall.devcloud import install
from squall.devcloud.config import DevcloudConfig
from squall.errors import DevcloudError


def test_apt_failure_is_one_message_with_the_log_tail(tmp_path, monkeypatch):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    apt = fake_bin / "apt-get"
    apt.write_text("#!/bin/sh\necho 'E: Unable to locate package mariadb-server' >&2\nexit 100\n")
    apt.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake_bin}:{os.environ['PATH']}")
    monkeypatch.setattr(install, "REQUIRED_BINARIES", (str(tmp_path / "missing"),))
    monkeypatch.setattr(install, "POLICY_RC_D", tmp_path / "policy-rc.d")
    log = tmp_path / "apt.log"
    with pytest.raises(DevcloudError) as caught:
        install.ensure_debian_packages(log)
    message = str(caught.value)
    assert "apt-get could not install mariadb-server" in message
    assert "Unable to locate package" in message
    assert "apt-get update" in message
    assert not (tmp_path / "policy-rc.d").exists()  # removed again: it was ours


def test_missing_constraints_file_is_reported(tmp_path):
    config = DevcloudConfig(directory=tmp_path, constraints=tmp_path / "nope.txt")
    with pytest.raises(DevcloudError, match=r"constraints file .* does not exist"):
        install.ensure_venv(config, tmp_path / "pip.log", lambda _: None)


def test_not_root_is_refused(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(DevcloudError, match="must run as root"):
        install.require_root()


def test_tail_skips_blank_lines_and_names_missing_files(tmp_path):
    log = tmp_path / "x.log"
    log.write_text("a\n\n" + "\n".join(str(i) for i in range(40)) + "\n\n")
    assert install.tail(log, 3) == "37\n38\n39"
    assert "does not exist" in install.tail(tmp_path / "none.log")


def test_venv_fingerprint_follows_the_drivers_but_not_their_caches(tmp_path, monkeypatch):
    import shutil

    drivers = tmp_path / "drivers"
    shutil.copytree(install.DRIVERS_SOURCE, drivers, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(install, "DRIVERS_SOURCE", drivers)
    config = DevcloudConfig(directory=tmp_path)
    before = install.venv_fingerprint(config)
    cache = drivers / "squall_devcloud_drivers" / "__pycache__"
    cache.mkdir()
    (cache / "volume.cpython-311.pyc").write_bytes(b"\0")
    assert install.venv_fingerprint(config) == before
    shim = drivers / "nova" / "virt" / "squall_devcloud.py"
    shim.write_text(shim.read_text() + "# changed\n")
    assert install.venv_fingerprint(config) != before
