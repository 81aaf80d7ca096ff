"""Hosts and their roles: squall's own YAML inventory, or an Ansible inventory file.

squall's format::

    hosts:
      ctl1: {address: 10.0.0.11, transport: ssh, user: root, roles: [controller],
             services: [nova-api, keystone], sudo: true, jump: bastion}
      bastion: {address: 192.0.2.1, transport: ssh, user: ops}
      local: {transport: local, roles: [devcloud]}
    quorum: [galera, rabbitmq]          # services that must keep a majority

Ansible INI and YAML inventories are read too: their groups become roles and the
``ansible_host``, ``ansible_user``, ``ansible_port``, ``ansible_ssh_private_key_file``,
``ansible_become`` and ``ansible_connection=local`` variables map onto the fields.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from squall.errors import ConfigError

LOCALHOST = "127.0.0.1"


class Host(BaseModel):
    """One machine squall may act on, and how to reach it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    address: str = LOCALHOST
    transport: Literal["local", "ssh"] = "local"
    user: str | None = None
    port: int = Field(22, ge=1, le=65535)
    key_file: str | None = None
    jump: str | None = None
    """Another host's name, or ``user@address[:port]``, to reach this one through."""
    known_hosts: str | None = None
    """known_hosts file for SSH (default: ~/.ssh/known_hosts); host keys are always checked."""
    sudo: bool = False
    netns: str | None = None
    """Run every command inside this network namespace (``ip netns exec``)."""
    roles: tuple[str, ...] = ()
    services: tuple[str, ...] = ()


class Inventory(BaseModel):
    """Every known host, by name, and which services need a quorum."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hosts: tuple[Host, ...] = ()
    quorum: tuple[str, ...] = ()

    def get(self, name: str) -> Host:
        for host in self.hosts:
            if host.name == name:
                return host
        known = ", ".join(h.name for h in self.hosts) or "none"
        raise ConfigError(f"no host {name!r} in the inventory", hint=f"known hosts: {known}")

    def matching(self, *, role: str | None = None, service: str | None = None) -> list[Host]:
        """Hosts with ``role`` and running ``service`` (either may be None: any)."""
        return [
            h
            for h in self.hosts
            if (role is None or role in h.roles) and (service is None or service in h.services)
        ]


def local_inventory() -> Inventory:
    """The inventory used when none is given: this machine alone."""
    return Inventory(hosts=(Host(name="localhost", roles=("local",)),))


def load_inventory(path: Path) -> Inventory:
    """Read a squall YAML or an Ansible (INI or YAML) inventory file."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigError(f"cannot read the inventory {path}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text) if _looks_yaml(text) else None
    except yaml.YAMLError:
        data = None
    try:
        if isinstance(data, dict) and "all" in data:
            return parse_ansible_yaml(data)
        if isinstance(data, dict):
            return parse_squall(data)
        return parse_ansible_ini(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: {where}: {first['msg']}") from None


def _looks_yaml(text: str) -> bool:
    first = next((ln.strip() for ln in text.splitlines() if ln.strip() and ln[0] != "#"), "")
    return not first.startswith("[")


def parse_squall(data: dict[str, Any]) -> Inventory:
    raw_hosts = data.get("hosts") or {}
    if not isinstance(raw_hosts, dict):
        raise ConfigError("inventory: `hosts` must map host names to their settings")
    hosts = tuple(Host.model_validate({"name": n, **(v or {})}) for n, v in raw_hosts.items())
    return Inventory(hosts=hosts, quorum=tuple(data.get("quorum") or ()))


_ANSIBLE_VARS = {
    "ansible_host": "address",
    "ansible_user": "user",
    "ansible_port": "port",
    "ansible_ssh_private_key_file": "key_file",
    "ansible_become": "sudo",
}


def _host_from_ansible(name: str, hostvars: dict[str, Any], roles: list[str]) -> Host:
    fields: dict[str, Any] = {"name": name, "roles": tuple(roles)}
    local = hostvars.get("ansible_connection") == "local"
    fields["transport"] = "local" if local else "ssh"
    fields["address"] = LOCALHOST if local else name
    for var, field_name in _ANSIBLE_VARS.items():
        if var in hostvars:
            fields[field_name] = hostvars[var]
    if isinstance(fields.get("sudo"), str):
        fields["sudo"] = fields["sudo"].lower() in ("true", "yes", "1")
    jump = _jump_from_args(str(hostvars.get("ansible_ssh_common_args", "")))
    if jump:
        fields["jump"] = jump
    if "squall_services" in hostvars:
        services = hostvars["squall_services"]
        fields["services"] = tuple(services.split(",") if isinstance(services, str) else services)
    return Host.model_validate(fields)


def _jump_from_args(args: str) -> str | None:
    words = shlex.split(args)
    for i, word in enumerate(words):
        if word == "-J" and i + 1 < len(words):
            return words[i + 1]
        if word.startswith("ProxyJump="):
            return word.split("=", 1)[1]
    return None


class _Groups:
    """Ansible groups as they are read: hosts, variables, children."""

    def __init__(self) -> None:
        self.hosts: dict[str, dict[str, Any]] = {}
        self.members: dict[str, list[str]] = {}
        self.group_vars: dict[str, dict[str, Any]] = {}
        self.children: dict[str, list[str]] = {}

    def add_host(self, group: str, name: str, hostvars: dict[str, Any]) -> None:
        self.hosts.setdefault(name, {}).update(hostvars)
        self.members.setdefault(group, [])
        if name not in self.members[group]:
            self.members[group].append(name)

    def expand(self, group: str, seen: frozenset[str] = frozenset()) -> list[str]:
        names = list(self.members.get(group, []))
        for child in self.children.get(group, []):
            if child not in seen:
                names += self.expand(child, seen | {group})
        return names

    def inventory(self) -> Inventory:
        roles: dict[str, list[str]] = {name: [] for name in self.hosts}
        merged: dict[str, dict[str, Any]] = {name: {} for name in self.hosts}
        groups = set(self.members) | set(self.children) | set(self.group_vars)
        for group in sorted(groups):
            for name in self.expand(group):
                if group not in ("all", "ungrouped") and group not in roles[name]:
                    roles[name].append(group)
                merged[name] = {**self.group_vars.get(group, {}), **merged[name]}
        all_vars = self.group_vars.get("all", {})
        hosts = tuple(
            _host_from_ansible(n, {**all_vars, **merged[n], **v}, roles[n])
            for n, v in self.hosts.items()
        )
        return Inventory(hosts=hosts)


def parse_ansible_ini(text: str) -> Inventory:
    groups = _Groups()
    section, kind = "ungrouped", "hosts"
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section, _, suffix = line[1:-1].partition(":")
            kind = suffix or "hosts"
            continue
        words = shlex.split(line)
        if kind == "hosts":
            groups.add_host(section, words[0], _pairs(words[1:], lineno))
        elif kind == "vars":
            groups.group_vars.setdefault(section, {}).update(_pairs([line], lineno))
        elif kind == "children":
            groups.children.setdefault(section, []).append(words[0])
    return groups.inventory()


def _pairs(words: list[str], lineno: int) -> dict[str, Any]:
    pairs: dict[str, Any] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep:
            raise ConfigError(f"inventory line {lineno}: expected key=value, got {word!r}")
        pairs[key.strip()] = value.strip()
    return pairs


def parse_ansible_yaml(data: dict[str, Any]) -> Inventory:
    groups = _Groups()

    def walk(name: str, body: dict[str, Any] | None) -> None:
        body = body or {}
        for host, hostvars in (body.get("hosts") or {}).items():
            groups.add_host(name, host, hostvars or {})
        groups.group_vars.setdefault(name, {}).update(body.get("vars") or {})
        for child, child_body in (body.get("children") or {}).items():
            groups.children.setdefault(name, []).append(child)
            walk(child, child_body)

    walk("all", data["all"])
    return groups.inventory()
