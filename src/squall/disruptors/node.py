"""Reboot, power off or reset a whole node: over SSH, ipmitool, Redfish or libvirt."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from squall.disruptors.actions import Action, CommandCheck, RunCommand
from squall.disruptors.base import Disruptor, FaultPlan, Requirement, TargetConfig, tool_on
from squall.errors import FaultError
from squall.hosts.inventory import Host

NodeAction = Literal["reboot", "poweroff", "reset"]
_IPMI = {"reboot": "cycle", "poweroff": "off", "reset": "reset"}
_REDFISH = {"reboot": "ForceRestart", "poweroff": "ForceOff", "reset": "ForceRestart"}
_VIRSH = {"reboot": "reboot", "poweroff": "destroy", "reset": "reset"}


class NodeConfig(TargetConfig):
    action: NodeAction = "reboot"
    via: Literal["ssh", "ipmi", "redfish", "libvirt"] = "ssh"
    manager: str = Field(
        "localhost", description="inventory host that runs ipmitool/curl/virsh (not ssh)"
    )
    bmc: dict[str, str] = Field(
        default_factory=dict,
        description="host name -> BMC address (ipmi, redfish) or libvirt domain (default: name)",
    )
    bmc_user: str = "admin"
    netrc_file: str | None = Field(None, description="curl --netrc-file with the BMC password")
    libvirt_uri: str = "qemu:///system"
    redfish_system: str = "1"


class Node(Disruptor):
    """A node as a whole. ``ssh`` runs ``systemctl reboot|poweroff`` on the node itself
    (a powered-off node cannot be restored that way); ``ipmi`` (password in
    ``IPMI_PASSWORD``), ``redfish`` (password in a netrc file) and ``libvirt`` act from
    the ``manager`` host and power the node back on when it was switched off. The
    effect is the node not answering SSH (or its power state); recovery, SSH again."""

    name: ClassVar[str] = "node"
    Config: ClassVar = NodeConfig

    @property
    def cfg(self) -> NodeConfig:
        assert isinstance(self.config, NodeConfig)
        return self.config

    def plan(self, host: Host) -> FaultPlan:
        cfg = self.cfg
        down = CommandCheck(host=host, argv=("true",), expect="fail")
        up = CommandCheck(host=host, argv=("true",))
        if cfg.via == "ssh":
            verb = "poweroff" if cfg.action == "poweroff" else "reboot"
            inject = RunCommand(host=host, argv=("systemd-run", "--on-active=2", "systemctl", verb))
            reachable = Requirement(check=up, problem="does not answer over SSH")
            plan = self._plan(host, inject, down, (), up)
            return plan.model_copy(update={"requires": (reachable, tool_on(host, "systemd-run"))})
        manager = self.manager_host()
        target = self._bmc(host)
        inject = RunCommand(host=manager, argv=self.power_argv(target, cfg.action))
        restore: tuple[Action, ...] = ()
        if cfg.action == "poweroff":
            restore = (RunCommand(host=manager, argv=self.power_argv(target, "poweron")),)
        plan = self._plan(host, inject, down, restore, up)
        return plan.model_copy(update={"requires": (tool_on(manager, inject.argv[0]),)})

    def manager_host(self) -> Host:
        return (
            Host(name=self.cfg.manager)
            if self.cfg.manager == "localhost"
            else Host(name=self.cfg.manager, transport="ssh", address=self.cfg.manager)
        )

    def _bmc(self, host: Host) -> str:
        cfg = self.cfg
        if host.name in cfg.bmc:
            return cfg.bmc[host.name]
        if cfg.via == "libvirt":
            return host.name
        raise FaultError(
            f"no BMC address for host {host.name!r}", hint="add it under the disruptor's `bmc:`"
        )

    def power_argv(self, target: str, action: str) -> tuple[str, ...]:
        """The management command for ``action`` (or ``poweron``) on ``target`` (pure)."""
        cfg = self.cfg
        if cfg.via == "ipmi":
            verb = "on" if action == "poweron" else _IPMI[action]
            return ("ipmitool", "-I", "lanplus", "-H", target, "-U", cfg.bmc_user, "-E",
                    "chassis", "power", verb)  # fmt: skip
        if cfg.via == "libvirt":
            verb = "start" if action == "poweron" else _VIRSH[action]
            return ("virsh", "-c", cfg.libvirt_uri, verb, target)
        reset = "On" if action == "poweron" else _REDFISH[action]
        url = (
            f"https://{target}/redfish/v1/Systems/{cfg.redfish_system}/Actions/ComputerSystem.Reset"
        )
        auth = ("--netrc-file", cfg.netrc_file) if cfg.netrc_file else ("--netrc",)
        return ("curl", "-sSf", "-k", *auth, "-X", "POST", "-H", "Content-Type: application/json",
                "-d", f'{{"ResetType": "{reset}"}}', url)  # fmt: skip

    def _plan(
        self,
        host: Host,
        inject: RunCommand,
        down: CommandCheck,
        restore: tuple[Action, ...],
        up: CommandCheck,
    ) -> FaultPlan:
        return FaultPlan(
            disruptor=f"node:{self.cfg.action}:{self.cfg.via}",
            target=host.name,
            inject=(inject,),
            verify=(down,),
            restore=restore,
            verify_recovery=(up,),
            undo=restore,
        )
