"""Command builders of the disruptors: exact commands, checks and undo, no host touched."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from squall.disruptors.actions import CommandCheck, RunCommand
from squall.disruptors.container import Container
from squall.disruptors.network import Network
from squall.disruptors.node import Node
from squall.disruptors.process import Process
from squall.disruptors.service import Service
from squall.errors import FaultError
from squall.hosts.inventory import Host

CTL = Host(name="ctl1", address="10.0.0.11", transport="ssh", user="root")


def argvs(actions):
    return [a.argv for a in actions]


def test_systemd_stop_is_verified_inactive_and_restored_with_start():
    plan = Service(Service.parse_config({"unit": "memcached", "action": "stop"})).plan(CTL)
    assert argvs(plan.inject) == [("systemctl", "stop", "memcached")]
    assert plan.verify == (
        CommandCheck(host=CTL, argv=("systemctl", "is-active", "memcached"), expect="fail"),
    )
    assert argvs(plan.restore) == [("systemctl", "start", "memcached")]
    assert plan.undo == plan.restore
    assert plan.verify_recovery[0].expect == "ok"


def test_systemd_restart_has_nothing_to_undo_and_waits_for_active():
    plan = Service(Service.parse_config({"unit": "nova-api"})).plan(CTL)
    assert argvs(plan.inject) == [("systemctl", "restart", "nova-api")]
    assert plan.undo == () and plan.verify == ()
    assert plan.verify_recovery[0].argv == ("systemctl", "is-active", "nova-api")


@pytest.mark.parametrize(
    ("action", "state", "undo"),
    [("stop", "exited", "start"), ("kill", "exited", "start"), ("pause", "paused", "unpause")],
)
def test_container_actions(action, state, undo):
    cfg = {"container": "nova_api", "engine": "podman", "action": action}
    plan = Container(Container.parse_config(cfg)).plan(CTL)
    assert argvs(plan.inject) == [("podman", action, "nova_api")]
    inspect = ("podman", "inspect", "--format", "{{.State.Status}}", "nova_api")
    assert plan.verify == (CommandCheck(host=CTL, argv=inspect, lines_start=state),)
    assert argvs(plan.undo) == [("podman", undo, "nova_api")]
    assert plan.verify_recovery[0].lines_start == "running"


def test_ipmi_power_off_powers_back_on_from_the_manager_host():
    cfg = {"via": "ipmi", "action": "poweroff", "bmc": {"ctl1": "10.1.0.11"}, "bmc_user": "ops"}
    plan = Node(Node.parse_config(cfg)).plan(CTL)
    base = ("ipmitool", "-I", "lanplus", "-H", "10.1.0.11", "-U", "ops", "-E", "chassis", "power")
    assert argvs(plan.inject) == [(*base, "off")]
    assert argvs(plan.restore) == [(*base, "on")]
    assert plan.inject[0].host.name == "localhost"
    assert plan.verify[0].host == CTL and plan.verify[0].expect == "fail"


def test_libvirt_and_redfish_commands():
    virsh = Node(Node.parse_config({"via": "libvirt", "action": "poweroff"}))
    assert virsh.power_argv("ctl1", "poweroff") == (
        "virsh",
        "-c",
        "qemu:///system",
        "destroy",
        "ctl1",
    )
    assert virsh.power_argv("ctl1", "poweron")[-2:] == ("start", "ctl1")
    redfish = Node(Node.parse_config({"via": "redfish", "netrc_file": "/etc/bmc.netrc"}))
    argv = redfish.power_argv("bmc1", "reboot")
    assert argv[-1] == "https://bmc1/redfish/v1/Systems/1/Actions/ComputerSystem.Reset"
    assert '{"ResetType": "ForceRestart"}' in argv and "/etc/bmc.netrc" in argv


def test_node_without_bmc_address_is_refused():
    with pytest.raises(FaultError, match="no BMC address"):
        Node(Node.parse_config({"via": "ipmi"})).plan(CTL)


def test_ssh_reboot_is_scheduled_so_the_command_returns():
    plan = Node(Node.parse_config({})).plan(CTL)
    assert argvs(plan.inject) == [("systemd-run", "--on-active=2", "systemctl", "reboot")]
    assert plan.undo == ()


def test_netem_latency_with_jitter_inside_a_namespace():
    cfg = {
        "action": "latency",
        "interface": "veth0",
        "delay_ms": 250,
        "jitter_ms": 20,
        "netns": "ns1",
    }
    plan = Network(Network.parse_config(cfg)).plan(Host(name="localhost"))
    (inject,) = plan.inject
    assert inject.argv == (
        "tc",
        "qdisc",
        "add",
        "dev",
        "veth0",
        "root",
        "netem",
        "delay",
        "250ms",
        "20ms",
    )
    assert inject.host.netns == "ns1"
    assert plan.undo == (
        RunCommand(
            host=inject.host, argv=("tc", "qdisc", "del", "dev", "veth0", "root"), ok_codes=(0, 2)
        ),
    )
    assert plan.verify[0].contains == "netem" and plan.verify_recovery[0].absent == "netem"
    assert (
        plan.lines()[0]
        == "inject   localhost: ip netns exec ns1 tc qdisc add dev veth0 root netem delay 250ms 20ms"
    )


def test_loss_and_partition_rules():
    loss = Network(
        Network.parse_config({"action": "loss", "interface": "eth0", "loss_percent": 30})
    )
    assert loss.netem_args() == ("loss", "30%")
    part = Network(
        Network.parse_config({"interface": "br-mgmt", "peers": ["10.0.0.0/24", "fd00::1"]})
    )
    script = part.nft_script()
    commands = script.split(" ; ")
    assert commands[0] == "add table inet squall_br_mgmt"
    rules = [c for c in commands if c.startswith("add rule")]
    assert "add rule inet squall_br_mgmt sq_in iifname br-mgmt ip saddr 10.0.0.0/24 drop" in rules
    assert "add rule inet squall_br_mgmt sq_out oifname br-mgmt ip6 daddr fd00::1 drop" in rules
    assert len(rules) == 8
    plan = part.plan(CTL)
    assert argvs(plan.inject) == [("nft", script)]
    assert argvs(plan.undo) == [("nft", "delete", "table", "inet", "squall_br_mgmt")]


def test_peers_only_make_sense_for_a_partition():
    with pytest.raises(ValidationError, match="partition only"):
        Network.parse_config({"action": "loss", "interface": "eth0", "peers": ["10.0.0.1"]})


def test_process_needs_exactly_one_selector():
    with pytest.raises(ValidationError, match="exactly one"):
        Process.parse_config({"name": "x", "pidfile": "/run/x.pid"})
    with pytest.raises(ValidationError, match="exactly one"):
        Process.parse_config({})


def test_remote_process_freeze_commands():
    proc = Process(Process.parse_config({"name": "rabbit", "action": "freeze"}))
    plan = proc._remote_plan(CTL, [101, 202])
    assert argvs(plan.inject) == [("kill", "-s", "STOP", "101", "202")]
    assert plan.verify[0].argv == ("ps", "-o", "stat=", "-p", "101,202")
    assert plan.verify[0].lines_start == "T"
    assert argvs(plan.undo) == [("kill", "-s", "CONT", "101", "202")]


def test_remote_kill_restarts_with_the_given_command():
    cfg = {"name": "memcached", "start": ["systemctl", "start", "memcached"]}
    plan = Process(Process.parse_config(cfg))._remote_plan(CTL, [7])
    assert argvs(plan.inject) == [("kill", "-s", "KILL", "7")]
    assert plan.verify[0].expect == "fail"
    assert argvs(plan.restore) == [("systemctl", "start", "memcached")]


def test_loss_with_nftables_for_kernels_without_netem():
    cfg = {"action": "loss", "interface": "eth0", "loss_percent": 30, "tool": "nft"}
    plan = Network(Network.parse_config(cfg)).plan(CTL)
    (inject,) = plan.inject
    assert inject.argv[0] == "nft"
    assert (
        "add rule inet squall_eth0 sq_in iifname eth0 numgen random mod 100 < 30 drop"
        in inject.argv[1]
    )
    assert argvs(plan.undo) == [("nft", "delete", "table", "inet", "squall_eth0")]
    with pytest.raises(ValidationError, match="loss only"):
        Network.parse_config({"action": "partition", "interface": "eth0", "tool": "nft"})
    with pytest.raises(ValidationError, match="whole percent"):
        Network.parse_config({**cfg, "loss_percent": 12.5})


def test_plans_require_their_tool_and_target_before_acting():
    def required(plan):
        return [(r.check.host.name, r.check.argv, r.problem) for r in plan.requires]

    container = Container(Container.parse_config({"container": "nova_api", "engine": "docker"}))
    assert required(container.plan(CTL)) == [
        ("ctl1", ("sh", "-c", "command -v docker"), "docker is not installed on ctl1"),
        ("ctl1", ("docker", "inspect", "--format", "{{.Id}}", "nova_api"),
         "no docker container 'nova_api'"),
    ]  # fmt: skip
    service = Service(Service.parse_config({"unit": "memcached"})).plan(CTL)
    assert required(service)[1] == (
        "ctl1", ("systemctl", "cat", "memcached"), "no systemd unit 'memcached'"
    )  # fmt: skip
    ipmi = Node(Node.parse_config({"via": "ipmi", "bmc": {"ctl1": "10.1.0.11"}})).plan(CTL)
    assert required(ipmi) == [
        ("localhost", ("sh", "-c", "command -v ipmitool"), "ipmitool is not installed on localhost")
    ]
    ssh = Node(Node.parse_config({})).plan(CTL)
    assert required(ssh)[0] == ("ctl1", ("true",), "does not answer over SSH")
    assert ssh.lines()[0] == "requires ctl1: true (expect ok)"
