"""Instances as Linux network namespaces on this host, wired like a small cloud.

Every bridge lives in a private *fabric* namespace (``<prefix>-fab``); each instance
namespace sees one ``eth0`` whose peer is a port of its network's bridge; routers are
namespaces with ``qrN`` (tenant side) and ``qg0`` (external side), forwarding on, and in
``full`` mode floating IPs as /32 on ``qg0`` with DNAT/SNAT (nft or iptables), as a
Neutron ``qrouter`` does. Nothing is added to the root namespace: agents reach the
controller through a path-based unix socket (the filesystem is shared across network
namespaces). Creation goes through ``ip -batch``; deletion stops processes by PID
first, then deletes the namespaces, which takes every veth and bridge with them.

Everything created is listed in ``<run dir>/netns.json`` *before* it is created, so a
crash at any point is undone by ``teardown_journal``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from squall.dataplane.pids import alive
from squall.dataplane.providers.base import AgentLaunch, Provider
from squall.dataplane.topology import EXTERNAL, Topology
from squall.errors import AgentError, ConfigError

JOURNAL = "netns.json"
UNIX_PATH_MAX = 100  # sun_path holds 108 bytes
PREFIX_RE = re.compile(r"^sq[0-9a-f]{8}-")
#: Tools a plan's tests need on this host, and the Debian package giving each.
TOOL_PACKAGES = {"iperf3": "iperf3", "fio": "fio", "ping": "iputils-ping", "wrk": "wrk"}


def prefix_for(run: str) -> str:
    return "sq" + run.replace("-", "")[:8]


@dataclass
class Journal:
    """What this provider created (or is about to), saved next to the run."""

    path: Path
    prefix: str
    namespaces: list[str] = field(default_factory=list)
    pids: dict[str, int] = field(default_factory=dict)

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"prefix": self.prefix, "namespaces": self.namespaces, "pids": self.pids})
        )
        tmp.replace(self.path)

    @classmethod
    def load(cls, path: Path) -> Journal:
        data = json.loads(path.read_text())
        return cls(path, str(data["prefix"]), list(data["namespaces"]), dict(data["pids"]))


class NetnsProvider(Provider):
    name = "netns"

    def __init__(self, run: str, run_dir: Path, *, mtu: int = 1500, nat: str = "nft") -> None:
        self.run = run
        self.run_dir = run_dir
        self.prefix = prefix_for(run)
        self.fabric = f"{self.prefix}-fab"
        self.mtu = mtu
        self.nat = nat
        self.journal = Journal(run_dir / JOURNAL, self.prefix)
        self.agents: dict[str, subprocess.Popen[bytes]] = {}
        # staging and agent start run in threads; teardown waits for them (Ctrl-C mid-way)
        self._busy = threading.Lock()

    def ns(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    # ---- preflight -----------------------------------------------------------------
    def preflight(self, topology: Topology, tools: set[str]) -> None:
        if os.geteuid() != 0:
            raise ConfigError(
                "the netns provider needs root (network namespaces, veths, nft)",
                hint="run squall as root, or use the openstack provider",
            )
        needed = {"ip": "iproute2", "nft" if self.nat == "nft" else "iptables": self.nat}
        needed.update({t: TOOL_PACKAGES[t] for t in tools if t in TOOL_PACKAGES})
        missing = sorted({pkg for cmd, pkg in needed.items() if _which(cmd) is None})
        if missing:
            raise ConfigError(
                f"missing on this host: {', '.join(missing)}",
                hint=f"apt-get install {' '.join(missing)}  (or scripts/dataplane-deps)",
            )
        taken = set(_list_namespaces()) & set(self._all_namespaces(topology))
        if taken:
            raise ConfigError(
                f"namespaces of run {self.run} already exist: {', '.join(sorted(taken)[:3])}",
                hint=f"squall dataplane cleanup --run {self.run}",
            )

    def _all_namespaces(self, topology: Topology) -> list[str]:
        return [
            self.fabric,
            *(self.ns(r) for r in topology.routers),
            *(self.ns(i) for i in topology.instances),
        ]

    # ---- staging -------------------------------------------------------------------
    def stage(self, topology: Topology) -> None:
        with self._busy:
            self._stage(topology)

    def _stage(self, topology: Topology) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.journal.namespaces = self._all_namespaces(topology)
        self.journal.save()
        _ip(["-batch", "-"], "".join(f"netns add {n}\n" for n in self.journal.namespaces))
        bridges = {net: f"b{k}" for k, net in enumerate(topology.networks)}
        fabric, inside = self._wiring(topology, bridges)
        _ip(["-n", self.fabric, "-batch", "-"], "".join(fabric))
        for namespace, lines in inside.items():
            _ip(["-n", namespace, "-batch", "-"], "".join(lines))
        for router in topology.routers.values():
            _exec(self.ns(router.name), ["sysctl", "-qw", "net.ipv4.ip_forward=1"])
        if topology.mode == "full":
            self._nat(topology)

    def _wiring(
        self, topology: Topology, bridges: dict[str, str]
    ) -> tuple[list[str], dict[str, list[str]]]:
        mtu = self.mtu
        fabric = ["link set lo up\n"]
        inside: dict[str, list[str]] = {}
        for bridge in [*bridges.values(), *(["bx"] if topology.mode == "full" else [])]:
            fabric.append(f"link add {bridge} mtu {mtu} type bridge stp_state 0 forward_delay 0\n")
            fabric.append(f"link set {bridge} up\n")
        port = 0

        def plug(namespace: str, ifname: str, bridge: str, address: str) -> None:
            nonlocal port
            fabric.append(
                f"link add p{port} mtu {mtu} type veth "
                f"peer name {ifname} netns {namespace} mtu {mtu}\n"
            )
            fabric.append(f"link set p{port} addrgenmode none master {bridge} up\n")
            port += 1
            lines = inside.setdefault(namespace, ["link set lo up\n"])
            lines.append(f"link set {ifname} addrgenmode none up\n")
            lines.append(f"addr add {address} dev {ifname}\n")

        for router in topology.routers.values():
            rns = self.ns(router.name)
            for k, net in enumerate(router.networks):
                network = topology.networks[net]
                plug(rns, f"qr{k}", bridges[net], f"{network.gateway}/{network.cidr.prefixlen}")
            if router.external_ip is not None:
                plug(rns, "qg0", "bx", f"{router.external_ip}/{EXTERNAL.prefixlen}")
        for inst in topology.instances.values():
            network = topology.networks[inst.network]
            ins = self.ns(inst.name)
            plug(ins, "eth0", bridges[inst.network], f"{inst.address}/{network.cidr.prefixlen}")
            if network.router is not None:
                inside[ins].append(f"route add default via {network.gateway}\n")
            if inst.floating_ip is not None and network.router is not None:
                inside[self.ns(network.router)].append(f"addr add {inst.floating_ip}/32 dev qg0\n")
        return fabric, inside

    def _nat(self, topology: Topology) -> None:
        for router in topology.routers.values():
            if router.external_ip is None:
                continue
            nets = [topology.networks[n] for n in router.networks]
            fips = [
                (i.floating_ip, i.address)
                for i in topology.instances.values()
                if i.floating_ip is not None and topology.networks[i.network].router == router.name
            ]
            rules = nat_rules(
                self.nat,
                [str(n.cidr) for n in nets],
                str(router.external_ip),
                [(str(f), str(a)) for f, a in fips],
            )
            if self.nat == "nft":
                _exec(self.ns(router.name), ["nft", "-f", "-"], rules)
            else:
                _exec(self.ns(router.name), ["iptables-restore"], rules)

    # ---- agents --------------------------------------------------------------------
    def start_agents(self, topology: Topology, launch: AgentLaunch) -> None:
        with self._busy:
            self._start_agents(topology, launch)

    def _start_agents(self, topology: Topology, launch: AgentLaunch) -> None:
        agents_dir = self.run_dir / "agents"
        agents_dir.mkdir(parents=True, exist_ok=True)
        for inst in topology.instances.values():
            workdir = agents_dir / inst.name
            workdir.mkdir(exist_ok=True)
            config = {
                "controller": launch.controller_url,
                "run": launch.run,
                "agent_id": inst.name,
                "secret_file": str(launch.secret_file),
                "workdir": str(workdir),
                "register_timeout": launch.register_timeout,
                "labels": {
                    "role": inst.role,
                    "network": inst.network,
                    "host": self.host_of(inst.name),
                },
            }
            config_path = agents_dir / f"{inst.name}.json"
            config_path.write_text(json.dumps(config))
            log = (agents_dir / f"{inst.name}.log").open("ab")
            process = subprocess.Popen(
                [
                    "ip",
                    "netns",
                    "exec",
                    self.ns(inst.name),
                    sys.executable,
                    str(launch.bundle),
                    "--config",
                    str(config_path),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
            log.close()
            self.agents[inst.name] = process
            self.journal.pids[inst.name] = process.pid
        self.journal.save()

    def host_of(self, instance: str) -> str:
        return self.ns(instance)

    def kill_agent(self, instance: str) -> None:
        process = self.agents.get(instance)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(5)

    def wait_agents(self, timeout: float) -> None:
        """Give agents told to exit the time to stop their services."""
        deadline = time.monotonic() + timeout
        for process in self.agents.values():
            left = max(0.0, deadline - time.monotonic())
            try:
                process.wait(left)
            except subprocess.TimeoutExpired:
                continue

    # ---- teardown ------------------------------------------------------------------
    def teardown(self) -> None:
        with self._busy:
            self._teardown()

    def _teardown(self) -> None:
        for process in self.agents.values():
            _stop_process(process)
        deadline = time.monotonic() + 5.0
        for process in self.agents.values():
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        teardown_journal(self.journal)

    def controller_unix_socket(self, run_dir: Path) -> Path | None:
        path = run_dir / "ctl.sock"
        if len(str(path)) < UNIX_PATH_MAX:
            return path
        return Path(tempfile.gettempdir()) / f"squall-{self.run[:16]}.sock"


def nat_rules(kind: str, networks: list[str], external_ip: str, fips: list[tuple[str, str]]) -> str:
    """Floating IPs (DNAT in prerouting and output, SNAT back) and default SNAT."""
    if kind == "nft":
        lines = [
            "table ip squall_nat {",
            "  chain prerouting { type nat hook prerouting priority dstnat; policy accept;",
        ]
        lines += [f"    ip daddr {fip} dnat to {fixed}" for fip, fixed in fips]
        lines += ["  }", "  chain output { type nat hook output priority -100; policy accept;"]
        lines += [f"    ip daddr {fip} dnat to {fixed}" for fip, fixed in fips]
        lines += [
            "  }",
            "  chain postrouting { type nat hook postrouting priority srcnat; policy accept;",
        ]
        lines += [f'    oifname "qg0" ip saddr {fixed} snat to {fip}' for fip, fixed in fips]
        lines += [f'    oifname "qg0" ip saddr {net} snat to {external_ip}' for net in networks]
        lines += ["  }", "}"]
        return "\n".join(lines) + "\n"
    rules = ["*nat"]
    rules += [f"-A PREROUTING -d {fip}/32 -j DNAT --to-destination {fixed}" for fip, fixed in fips]
    rules += [f"-A OUTPUT -d {fip}/32 -j DNAT --to-destination {fixed}" for fip, fixed in fips]
    rules += [
        f"-A POSTROUTING -s {fixed}/32 -o qg0 -j SNAT --to-source {fip}" for fip, fixed in fips
    ]
    rules += [
        f"-A POSTROUTING -s {net} -o qg0 -j SNAT --to-source {external_ip}" for net in networks
    ]
    rules.append("COMMIT")
    return "\n".join(rules) + "\n"


def teardown_journal(journal: Journal) -> list[str]:
    """Stop journaled agents and every process left in journaled namespaces, then delete them."""
    marker = str(journal.path.parent)
    _kill_all([pid for pid in journal.pids.values() if _cmdline_has(pid, marker)])
    present = set(_list_namespaces())
    namespaces = [n for n in journal.namespaces if n in present]
    _kill_all([pid for n in namespaces for pid in _namespace_pids(n)])
    if namespaces:
        _ip(["-force", "-batch", "-"], "".join(f"netns del {n}\n" for n in namespaces), check=False)
    journal.pids.clear()
    if journal.path.parent.exists():
        journal.save()
    return namespaces


def orphan_namespaces() -> list[str]:
    """Namespaces named like squall's (``sq<run8>-...``) that exist now."""
    return [n for n in _list_namespaces() if PREFIX_RE.match(n)]


def _which(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def _ip(args: list[str], stdin: str = "", *, check: bool = True) -> str:
    result = subprocess.run(["ip", *args], input=stdin.encode(), capture_output=True, check=False)
    if check and result.returncode != 0:
        raise AgentError(
            f"ip {' '.join(args)} failed: {result.stderr.decode(errors='replace').strip()}"
        )
    return result.stdout.decode()


def _exec(namespace: str, argv: list[str], stdin: str = "") -> None:
    result = subprocess.run(
        ["ip", "netns", "exec", namespace, *argv],
        input=stdin.encode(),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise AgentError(
            f"{argv[0]} in {namespace} failed: {result.stderr.decode(errors='replace').strip()}"
        )


def _list_namespaces() -> list[str]:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, check=False).stdout
    return [line.split()[0] for line in out.decode().splitlines() if line.strip()]


def _namespace_pids(namespace: str) -> list[int]:
    out = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True, check=False)
    return [int(p) for p in out.stdout.decode().split() if p.isdigit()]


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()


def _cmdline_has(pid: int, marker: str) -> bool:
    """Whether ``pid`` is still the process we started (its command line names our run)."""
    try:
        return marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _kill_all(pids: list[int], grace: float = 5.0) -> None:
    """SIGTERM every pid, wait up to ``grace`` for all, then SIGKILL the rest."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    left = [p for p in pids if alive(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.02)
        left = [p for p in left if alive(p)]
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
