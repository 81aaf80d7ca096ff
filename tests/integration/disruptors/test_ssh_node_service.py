"""The node and service disruptors over SSH, against a private sshd on 127.0.0.1.

The test key logs in with ``PATH`` set (``environment=`` in authorized_keys) to a
folder of stand-ins, so nothing here can reboot this machine or touch its units:

- ``systemd-run`` records its call, then makes the "node" go away as a reboot does:
  it stops the test sshd (every new SSH connection fails) and starts it again after
  a few seconds. The node disruptor must see the node down, then back.
- ``systemctl`` keeps unit states in files (systemd is not PID 1 in this container),
  answering ``is-active`` as systemd does (exit 0 active, 3 inactive).

What is proven: the disruptors' commands, effect and recovery checks, and journaled
undo, over a real SSH transport. Not proven here: real systemd and a real reboot.
ipmitool, Redfish and libvirt have nothing to act on here; without ipmitool the node
disruptor fails with the missing command named.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from squall.disruptors.journal import FaultJournal
from squall.disruptors.node import Node
from squall.disruptors.run import Fault
from squall.disruptors.service import Service
from squall.errors import FaultError
from squall.hosts.inventory import Host
from squall.hosts.transport import SSHTransport
from tests.integration.hosts.test_ssh import SSHD, free_port, keygen, require_sshd

pytestmark = pytest.mark.integration

#: seconds the fake reboot keeps the node's sshd down
REBOOT_DOWN = 3

FAKE_SYSTEMD_RUN = """#!/bin/sh
echo "$*" >> {record}
setsid -f sh -c 'sleep 0.5; kill $(cat {pidfile}); sleep {down}; {sshd} -f {config}' \\
    </dev/null >/dev/null 2>&1
"""
FAKE_SYSTEMCTL = """#!/bin/sh
echo "$*" >> {record}
verb=$1 unit=$2 state={units}/$2
case $verb in
    start|restart) echo active > "$state" ;;
    stop) echo inactive > "$state" ;;
    cat) [ -f "$state" ] || {{ echo "No files found for $unit." >&2; exit 1; }} ;;
    is-active)
        if [ "$(cat "$state" 2>/dev/null)" = active ]; then echo active; exit 0; fi
        echo inactive; exit 3 ;;
    *) echo "unknown verb $verb" >&2; exit 1 ;;
esac
"""


def _fake(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


def _pid(pidfile: Path) -> int | None:
    try:
        return int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _answers(port: int) -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


def _wait(predicate, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def node(tmp_path):
    """A "node": a private sshd (a daemon, so the fake reboot can stop and start it),
    its host entry, and the folder where the stand-ins record their calls."""
    require_sshd()
    d = tmp_path
    keygen(d / "host_key")
    keygen(d / "id_ed25519")
    fakebin, units = d / "bin", d / "units"
    fakebin.mkdir()
    units.mkdir()
    port, config, pidfile = free_port(), d / "sshd_config", d / "sshd.pid"
    key = (d / "id_ed25519.pub").read_text().strip()
    (d / "authorized_keys").write_text(f'environment="PATH={fakebin}:/usr/bin:/bin" {key}\n')
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {d / 'host_key'}\n"
        f"AuthorizedKeysFile {d / 'authorized_keys'}\nPermitRootLogin prohibit-password\n"
        f"PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        f"StrictModes no\nPidFile {pidfile}\nPermitUserEnvironment PATH\n"
    )
    fields = {"record": d / "calls", "pidfile": pidfile, "config": config, "sshd": SSHD}
    _fake(fakebin / "systemd-run", FAKE_SYSTEMD_RUN.format(down=REBOOT_DOWN, **fields))
    _fake(fakebin / "systemctl", FAKE_SYSTEMCTL.format(units=units, **fields))
    host_pub = (d / "host_key.pub").read_text().split()
    (d / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_pub[0]} {host_pub[1]}\n")
    Path("/run/sshd").mkdir(exist_ok=True)
    subprocess.run([str(SSHD), "-f", str(config)], check=True)
    assert _wait(lambda: _answers(port)), "the test sshd did not start"
    host = Host(
        name="node1",
        transport="ssh",
        user="root",
        port=port,
        key_file=str(d / "id_ed25519"),
        known_hosts=str(d / "known_hosts"),
    )
    # never the real ones: the stand-ins must be what the node's shell finds
    for tool in ("systemd-run", "systemctl"):
        found = SSHTransport(host).run(["sh", "-c", f"command -v {tool}"]).stdout.strip()
        assert found == str(fakebin / tool), f"{tool} over SSH is {found!r}, not the stand-in"
    yield host, d
    _wait(lambda: _pid(pidfile) is not None and _answers(port), REBOOT_DOWN + 10)
    pid = _pid(pidfile)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)


def test_node_reboot_over_ssh_is_seen_down_then_back(node, tmp_path):
    host, d = node
    plan = Node(Node.parse_config({"action": "reboot", "via": "ssh"})).plan(host)
    fault = Fault(plan, FaultJournal(tmp_path / "j"))
    outcome = fault.run(down=0)
    assert (d / "calls").read_text() == "--on-active=2 systemctl reboot\n"
    assert [(e.phase, e.ok) for e in outcome.events] == [
        ("inject", True),
        ("effect", True),  # no SSH: the node is down
        ("restore", True),  # nothing to do: a reboot comes back by itself
        ("recovered", True),  # SSH again
    ]
    effect, recovered = outcome.events[1].at, outcome.events[3].at
    assert recovered - effect >= REBOOT_DOWN - 1
    assert FaultJournal(tmp_path / "j").pending() == []


def test_node_power_through_a_missing_ipmitool_fails_clearly(tmp_path):
    if any(Path(p, "ipmitool").exists() for p in os.environ["PATH"].split(os.pathsep)):
        pytest.skip("ipmitool is installed: this test is about its absence")
    cfg = Node.parse_config({"action": "poweroff", "via": "ipmi", "bmc": {"node1": "10.0.0.9"}})
    fault = Fault(Node(cfg).plan(Host(name="node1")), FaultJournal(tmp_path / "j"))
    with pytest.raises(FaultError, match="ipmitool is not installed on localhost"):
        fault.inject()
    assert FaultJournal(tmp_path / "j").pending() == []  # nothing acted: nothing to undo


def test_missing_unit_and_unreachable_node_fail_before_anything_acts(node, tmp_path):
    host, d = node
    journal = FaultJournal(tmp_path / "j")
    absent = Service(Service.parse_config({"unit": "squall-absent", "action": "stop"}))
    with pytest.raises(FaultError, match="no systemd unit 'squall-absent'"):
        Fault(absent.plan(host), journal).inject()
    gone = host.model_copy(update={"port": free_port()})
    reboot = Node(Node.parse_config({"action": "reboot", "via": "ssh"}))
    with pytest.raises(FaultError, match="cannot reach"):
        Fault(reboot.plan(gone), journal).inject()
    assert (d / "calls").read_text() == "cat squall-absent\n"  # looked, never acted
    assert journal.pending() == []


def test_service_stop_over_ssh_is_verified_and_started_again(node, tmp_path):
    host, d = node
    (d / "units" / "memcached").write_text("active\n")
    plan = Service(Service.parse_config({"unit": "memcached", "action": "stop"})).plan(host)
    fault = Fault(plan, FaultJournal(tmp_path / "j"))
    fault.inject()
    assert fault.verify(timeout=10)
    assert (d / "units" / "memcached").read_text() == "inactive\n"
    fault.restore()
    assert fault.verify_recovery(timeout=10)
    assert (d / "units" / "memcached").read_text() == "active\n"
    calls = (d / "calls").read_text().splitlines()
    assert calls == [
        "cat memcached",
        "stop memcached",
        "is-active memcached",
        "start memcached",
        "is-active memcached",
    ]
    assert all(e.ok for e in fault.outcome.events)


def test_service_stopped_when_squall_died_is_started_by_the_journal(node, tmp_path):
    host, d = node
    (d / "units" / "rabbitmq-server").write_text("active\n")
    journal = tmp_path / "j"
    plan = Service(Service.parse_config({"unit": "rabbitmq-server", "action": "stop"})).plan(host)
    Fault(plan, FaultJournal(journal)).inject()  # ... and squall dies here
    assert (d / "units" / "rabbitmq-server").read_text() == "inactive\n"
    (result,) = FaultJournal(journal).replay()
    assert result.ok, result.errors
    assert (d / "units" / "rabbitmq-server").read_text() == "active\n"
    assert FaultJournal(journal).pending() == []
