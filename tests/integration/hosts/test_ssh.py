"""The SSH transport against a real sshd on 127.0.0.1 started by this module with
throwaway keys (``scripts/sshd install`` installs OpenSSH's server): keys, agent, jump
host, bad credentials, unreachable hosts, and a disruptor acting over SSH."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from squall.devcloud import procs
from squall.disruptors.journal import FaultJournal
from squall.disruptors.process import Process
from squall.disruptors.run import Fault
from squall.errors import FaultError
from squall.hosts.inventory import Host, Inventory
from squall.hosts.transport import SSHTransport

pytestmark = pytest.mark.integration
SSHD = Path("/usr/sbin/sshd")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)


def require_sshd() -> None:
    """Skip (fail on CI) unless a private sshd can be started here."""
    if not SSHD.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true and sshd is missing (scripts/sshd install)")
        pytest.skip("sshd is not installed (scripts/sshd install)")
    if os.geteuid() != 0:
        pytest.skip("the test sshd logs in as root")


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    require_sshd()
    d = tmp_path_factory.mktemp("sshd")
    keygen(d / "host_key")
    keygen(d / "id_ed25519")
    keygen(d / "other_key")
    shutil.copy(d / "id_ed25519.pub", d / "authorized_keys")
    port = free_port()
    (d / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {d / 'host_key'}\n"
        f"AuthorizedKeysFile {d / 'authorized_keys'}\nPermitRootLogin prohibit-password\n"
        f"PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        f"StrictModes no\nPidFile {d / 'sshd.pid'}\nAllowTcpForwarding yes\n"
    )
    host_pub = (d / "host_key.pub").read_text().split()
    (d / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_pub[0]} {host_pub[1]}\n")
    Path("/run/sshd").mkdir(exist_ok=True)
    server = subprocess.Popen(
        [str(SSHD), "-D", "-e", "-f", str(d / "sshd_config")], stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield d, port
    server.terminate()
    server.wait(timeout=10)


def host(sshd, **extra) -> Host:
    d, port = sshd
    fields = {
        "name": "self",
        "transport": "ssh",
        "user": "root",
        "port": port,
        "key_file": str(d / "id_ed25519"),
        "known_hosts": str(d / "known_hosts"),
    }
    return Host(**{**fields, **extra})


def test_runs_commands_with_a_key(sshd):
    result = SSHTransport(host(sshd)).run(["sh", "-c", "echo out; echo err >&2; exit 3"])
    assert (result.rc, result.stdout, result.stderr) == (3, "out\n", "err\n")
    missing = SSHTransport(host(sshd)).run(["squall-no-such-command"])
    assert missing.rc == 127
    with pytest.raises(FaultError, match="exited 127"):
        SSHTransport(host(sshd)).check(["squall-no-such-command"])


def test_through_a_jump_host(sshd):
    jump = host(sshd, name="bastion")
    target = host(sshd, jump="bastion")
    result = SSHTransport(target, Inventory(hosts=(jump, target))).run(["echo", "hop"])
    assert result.stdout == "hop\n"


def test_through_the_agent(sshd):
    d, _ = sshd
    agent = subprocess.run(["ssh-agent", "-s"], capture_output=True, text=True, check=True).stdout
    env = dict(
        line.split(";")[0].split("=", 1) for line in agent.splitlines() if "=" in line.split(";")[0]
    )
    try:
        subprocess.run(
            ["ssh-add", "-q", str(d / "id_ed25519")], env={**os.environ, **env}, check=True
        )
        old = os.environ.get("SSH_AUTH_SOCK")
        os.environ["SSH_AUTH_SOCK"] = env["SSH_AUTH_SOCK"]
        try:
            result = SSHTransport(host(sshd, key_file=None)).run(["echo", "agent"])
        finally:
            if old is None:
                del os.environ["SSH_AUTH_SOCK"]
            else:
                os.environ["SSH_AUTH_SOCK"] = old
        assert result.stdout == "agent\n"
    finally:
        os.kill(int(env["SSH_AGENT_PID"]), signal.SIGTERM)


def test_wrong_key_unknown_host_key_and_unreachable_host(sshd):
    d, _ = sshd
    with pytest.raises(FaultError, match="refused the credentials") as info:
        SSHTransport(host(sshd, key_file=str(d / "other_key"))).run(["true"])
    assert "key_file" in (info.value.hint or "")
    (d / "empty_known_hosts").write_text("")
    with pytest.raises(FaultError, match=r"host key .* is not in known_hosts"):
        SSHTransport(host(sshd, known_hosts=str(d / "empty_known_hosts"))).run(["true"])
    with pytest.raises(FaultError, match="cannot reach"):
        SSHTransport(host(sshd, port=free_port())).run(["true"])


def test_a_process_frozen_and_thawed_over_ssh(sshd, tmp_path):
    tag = f"squall-ssh-{uuid.uuid4().hex[:8]}"
    proc = subprocess.Popen([sys.executable, "-c", f"import time; time.sleep(300)  # {tag}"])
    try:
        time.sleep(0.2)
        plan = Process(Process.parse_config({"name": tag, "action": "freeze"})).plan(host(sshd))
        assert plan.inject[0].argv == ("kill", "-s", "STOP", str(proc.pid))
        fault = Fault(plan, FaultJournal(tmp_path / "j"))
        fault.inject()
        assert fault.verify(timeout=10) and procs.state_of(proc.pid) == "T"
        fault.restore()
        assert procs.state_of(proc.pid) in ("S", "R")
    finally:
        proc.kill()
        proc.wait()
