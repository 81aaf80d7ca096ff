"""Transports: command wrapping (namespace, sudo), SSH options, the local transport."""

from __future__ import annotations

import os
import sys

import pytest

from squall.errors import FaultError
from squall.hosts.inventory import Host, Inventory
from squall.hosts.transport import LocalTransport, SSHTransport, command_line, wrap


def test_wrap_puts_namespace_inside_sudo():
    host = Host(name="h", transport="ssh", sudo=True, netns="ns1")
    assert wrap(host, ["tc", "qdisc"]) == [
        "sudo",
        "-n",
        "--",
        "ip",
        "netns",
        "exec",
        "ns1",
        "tc",
        "qdisc",
    ]
    assert command_line(Host(name="h"), ["echo", "a b"]) == "h: echo 'a b'"


@pytest.mark.skipif(os.geteuid() != 0, reason="root needs no sudo locally")
def test_local_root_needs_no_sudo():
    assert wrap(Host(name="l", sudo=True), ["id"]) == ["id"]


def test_ssh_options_and_jump_hosts():
    bastion = Host(name="bastion", address="192.0.2.1", transport="ssh", user="ops")
    target = Host(name="t", address="10.0.0.1", transport="ssh", user="root", port=2222,
                  key_file="/keys/id", jump="bastion")  # fmt: skip
    ssh = SSHTransport(target, Inventory(hosts=(bastion, target)))
    opts = ssh.connect_options(target)
    assert opts["host"] == "10.0.0.1" and opts["port"] == 2222 and opts["username"] == "root"
    assert opts["client_keys"] == ["/keys/id"]
    assert ssh.jump_host() == bastion
    loose = SSHTransport(target.model_copy(update={"jump": "me@198.51.100.7:2200"}))
    jump = loose.jump_host()
    assert (jump.user, jump.address, jump.port) == ("me", "198.51.100.7", 2200)
    assert "username" not in ssh.connect_options(Host(name="x", transport="ssh"))


def test_local_transport_runs_commands():
    local = LocalTransport(Host(name="localhost"))
    result = local.run([sys.executable, "-c", "import sys; print('out'); sys.exit(3)"])
    assert result.rc == 3 and result.stdout == "out\n" and not result.ok
    missing = local.run(["squall-no-such-command"])
    assert missing.rc == 127 and "not found" in missing.stderr
    with pytest.raises(FaultError, match="exited 3"):
        local.check([sys.executable, "-c", "import sys; sys.exit(3)"])
