"""The container disruptor against real podman containers on this machine.

``scripts/podman install`` installs podman, runc and a static busybox; the image is
made here from busybox (no registry is reachable). Containers run with runc and
ulimits no higher than this machine's (crun refuses cgroups in hybrid mode here, and
the container runtime may not raise limits); podman's own ``stop``/``start``/``pause``/
``kill``/``restart``, as the disruptor runs them, then work as on any host.

docker is not tested: its CLI is here but no daemon runs (and none can be started
without a registry for its images); the disruptor issues the same verbs to either CLI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import uuid
from pathlib import Path

import pytest

from squall.disruptors.container import Container
from squall.disruptors.journal import FaultJournal
from squall.disruptors.run import Fault
from squall.errors import FaultError
from squall.hosts.inventory import Host

pytestmark = pytest.mark.integration

IMAGE = "localhost/squall-busybox:1"
BUSYBOX = Path("/usr/bin/busybox")
LOCAL = Host(name="localhost")
RUN = ["--runtime", "runc", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]


def podman(*args: str, check: bool = True) -> str:
    done = subprocess.run(
        ["podman", *args], capture_output=True, text=True, timeout=120, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def status(name: str) -> str:
    return podman("inspect", "--format", "{{.State.Status}}", name)


def started_at(name: str) -> str:
    return podman("inspect", "--format", "{{.State.StartedAt}}", name)


def _missing() -> str | None:
    for tool in ("podman", "runc"):
        if shutil.which(tool) is None:
            return tool
    return None if BUSYBOX.exists() else "busybox-static"


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    missing = _missing()
    if missing is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {missing} is missing (scripts/podman install)")
        pytest.skip(f"{missing} is not installed (scripts/podman install)")
    if os.geteuid() != 0:
        pytest.skip("the containers run as root")
    if subprocess.run(["podman", "image", "exists", IMAGE], check=False).returncode != 0:
        rootfs = tmp_path_factory.mktemp("busybox") / "rootfs.tar"
        with tarfile.open(rootfs, "w") as tar:
            tar.add(BUSYBOX, arcname="bin/busybox")
            for applet in ("sh", "sleep"):
                link = tarfile.TarInfo(f"bin/{applet}")
                link.type, link.linkname = tarfile.SYMTYPE, "busybox"
                tar.addfile(link)
        podman("import", str(rootfs), IMAGE)
    return IMAGE


@pytest.fixture
def container(image):
    name = f"squall-test-{uuid.uuid4().hex[:8]}"
    podman("run", "-d", *RUN, "--stop-signal", "KILL", "--name", name, image, "/bin/sleep", "600")
    yield name
    podman("rm", "-f", name, check=False)


def container_fault(name: str, action: str, journal: Path) -> Fault:
    cfg = Container.parse_config({"container": name, "engine": "podman", "action": action})
    return Fault(Container(cfg).plan(LOCAL), FaultJournal(journal))


@pytest.mark.parametrize(("action", "during"), [("stop", "exited"), ("kill", "exited"),
                                                ("pause", "paused")])  # fmt: skip
def test_fault_takes_effect_and_is_undone(container, tmp_path, action, during):
    fault = container_fault(container, action, tmp_path / "j")
    fault.inject()
    assert fault.verify(timeout=30), fault.outcome.events
    assert status(container) == during
    fault.restore()
    assert fault.verify_recovery(timeout=30), fault.outcome.events
    assert status(container) == "running"
    assert [e.phase for e in fault.outcome.events] == ["inject", "effect", "restore", "recovered"]
    assert all(e.ok for e in fault.outcome.events)
    assert FaultJournal(tmp_path / "j").pending() == []


def test_restart_starts_the_container_anew(container, tmp_path):
    before = started_at(container)
    outcome = container_fault(container, "restart", tmp_path / "j").run(down=0)
    assert outcome.ok, outcome.events
    assert status(container) == "running" and started_at(container) != before


def test_squall_gone_mid_fault_the_journal_starts_the_container_again(container, tmp_path):
    journal = tmp_path / "j"
    fault = container_fault(container, "stop", journal)
    fault.inject()  # ... and squall dies here: no restore
    assert fault.verify(timeout=30)
    (pending,) = FaultJournal(journal).pending()
    assert pending.disruptor == f"container:stop:{container}"
    (result,) = FaultJournal(journal).replay()
    assert result.ok, result.errors
    assert status(container) == "running"
    assert FaultJournal(journal).pending() == []


def test_a_container_that_does_not_exist_fails_before_anything_acts(image, tmp_path):
    name = f"squall-absent-{uuid.uuid4().hex[:8]}"
    fault = container_fault(name, "stop", tmp_path / "j")
    with pytest.raises(FaultError, match=f"no podman container '{name}'") as caught:
        fault.inject()
    assert "podman ps -a" in (caught.value.hint or "")
    assert [(e.phase, e.ok) for e in fault.outcome.events] == [("inject", False)]
    assert FaultJournal(tmp_path / "j").pending() == []  # no undo that could never work
