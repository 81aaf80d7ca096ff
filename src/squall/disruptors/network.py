"""Degrade or cut a link: latency and loss with tc netem, a partition with nftables,
or the interface down — on a host, or inside a network namespace."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from squall.disruptors.actions import CommandCheck, RunCommand
from squall.disruptors.base import Disruptor, FaultPlan, TargetConfig
from squall.hosts.inventory import Host

TABLE_PREFIX = "squall_"
_Parts = tuple[tuple[RunCommand, ...], CommandCheck, RunCommand, CommandCheck]
"""inject actions, effect check, restore action, recovery check"""


class NetworkConfig(TargetConfig):
    action: Literal["latency", "loss", "partition", "down"] = "partition"
    interface: str = Field(min_length=1, description="the link, e.g. eth0 or br-mgmt")
    netns: str | None = Field(None, description="act inside this network namespace")
    delay_ms: float = Field(100.0, gt=0)
    jitter_ms: float = Field(0.0, ge=0)
    loss_percent: float = Field(100.0, gt=0, le=100)
    peers: list[str] = Field(
        default_factory=list, description="partition only these addresses/CIDRs (default: all)"
    )
    tool: Literal["netem", "nft"] = Field(
        "netem", description="loss with tc netem, or with nftables (kernels without netem)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> NetworkConfig:
        if self.peers and self.action != "partition":
            raise ValueError("peers apply to action: partition only")
        if self.tool == "nft" and self.action != "loss":
            raise ValueError("tool: nft applies to action: loss only")
        if self.tool == "nft" and self.loss_percent != int(self.loss_percent):
            raise ValueError("nft loss takes a whole percent")
        return self


class Network(Disruptor):
    """A link: ``latency`` (netem delay, optional jitter), ``loss`` (netem loss %, or
    random drops by nftables with ``tool: nft``),
    ``partition`` (nftables drops traffic on the interface, to and from ``peers`` or
    everything) or ``down`` (``ip link set down``). Each is verified in the kernel's
    own listing and removed on restore; the undo deletes the qdisc or table by name."""

    name: ClassVar[str] = "network"
    Config: ClassVar = NetworkConfig

    @property
    def cfg(self) -> NetworkConfig:
        assert isinstance(self.config, NetworkConfig)
        return self.config

    def plan(self, host: Host) -> FaultPlan:
        cfg = self.cfg
        if cfg.netns is not None:
            host = host.model_copy(update={"netns": cfg.netns})
        builder = {
            "latency": self._netem,
            "loss": self._partition if cfg.tool == "nft" else self._netem,
            "partition": self._partition,
            "down": self._link_down,
        }[cfg.action]
        inject, verify, restore, recovered = builder(host)
        where = f"{cfg.interface}@{host.netns}" if host.netns else cfg.interface
        return FaultPlan(
            disruptor=f"network:{cfg.action}:{where}",
            target=host.name,
            inject=inject,
            verify=(verify,),
            restore=(restore,),
            verify_recovery=(recovered,),
            undo=(restore,),
        )

    def netem_args(self) -> tuple[str, ...]:
        cfg = self.cfg
        if cfg.action == "loss":
            return ("loss", f"{cfg.loss_percent:g}%")
        delay = ("delay", f"{cfg.delay_ms:g}ms")
        return delay + ((f"{cfg.jitter_ms:g}ms",) if cfg.jitter_ms else ())

    def _netem(self, host: Host) -> _Parts:
        dev = self.cfg.interface
        show = ("tc", "qdisc", "show", "dev", dev)
        add = ("tc", "qdisc", "add", "dev", dev, "root", "netem", *self.netem_args())
        return (
            (RunCommand(host=host, argv=add),),
            CommandCheck(host=host, argv=show, contains="netem"),
            # status 2: no such qdisc any more, which is what the undo wants
            RunCommand(host=host, argv=("tc", "qdisc", "del", "dev", dev, "root"), ok_codes=(0, 2)),
            CommandCheck(host=host, argv=show, absent="netem"),
        )

    def table(self) -> str:
        return TABLE_PREFIX + "".join(c if c.isalnum() else "_" for c in self.cfg.interface)

    def nft_script(self) -> str:
        """The partition as one nft transaction (pure): all rules apply at once, in one
        table named after the interface, so the undo is one ``delete table``."""
        dev, table = self.cfg.interface, self.table()
        lines = [f"add table inet {table}"]
        for chain, hook in (("sq_in", "input"), ("sq_out", "output"), ("sq_fwd", "forward")):
            spec = f"{{ type filter hook {hook} priority -300 ; policy accept ; }}"
            lines.append(f"add chain inet {table} {chain} {spec}")
        for peer in self.cfg.peers or [""]:
            family = "ip6" if ":" in peer else "ip"
            src = f"{family} saddr {peer} " if peer else ""
            dst = f"{family} daddr {peer} " if peer else ""
            for chain, match in (
                ("sq_in", f"iifname {dev} {src}"),
                ("sq_out", f"oifname {dev} {dst}"),
                ("sq_fwd", f"iifname {dev} {src}"),
                ("sq_fwd", f"oifname {dev} {dst}"),
            ):
                lines.append(f"add rule inet {table} {chain} {match}{self._verdict()}")
        return " ; ".join(lines)

    def _verdict(self) -> str:
        """``drop``, or for nft loss ``numgen random mod 100 < N drop`` (N % of packets)."""
        if self.cfg.action == "loss":
            return f"numgen random mod 100 < {int(self.cfg.loss_percent)} drop"
        return "drop"

    def _partition(self, host: Host) -> _Parts:
        table = self.table()
        listing = ("nft", "list", "table", "inet", table)
        return (
            (RunCommand(host=host, argv=("nft", self.nft_script())),),
            CommandCheck(host=host, argv=listing, contains="drop"),
            RunCommand(host=host, argv=("nft", "delete", "table", "inet", table), ok_codes=(0, 1)),
            CommandCheck(host=host, argv=listing, expect="fail"),
        )

    def _link_down(self, host: Host) -> _Parts:
        dev = self.cfg.interface
        show = ("ip", "-o", "link", "show", "dev", dev)
        return (
            (RunCommand(host=host, argv=("ip", "link", "set", "dev", dev, "down")),),
            CommandCheck(host=host, argv=show, absent=",UP"),
            RunCommand(host=host, argv=("ip", "link", "set", "dev", dev, "up")),
            CommandCheck(host=host, argv=show, contains=",UP"),
        )
