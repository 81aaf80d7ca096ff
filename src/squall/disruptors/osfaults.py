"""os-faults' human API sentences, translated to squall disruptors. Pure.

The three sentence forms of os-faults (``os_faults/api/human.py``)::

    <action> <service> service [on (random|one|single|all|<fqdn>) node[s]] [for <T> seconds]
    <action> <container> container [on ... node[s]] [for <T> seconds]
    <action> [<network> network on] [random|one|single|all|<fqdn>] node[s]
             [with <service> service]

e.g. "restart memcached service on one node", "kill nova-api service on all nodes",
"freeze rabbitmq service on one node for 10 seconds", "reboot one node with mysql
service", "disconnect management network on all nodes with rabbitmq service".

How a named service is disrupted: a ``bindings`` entry when given; else the devcloud
service of that name (its process record); else a systemd unit of that name for
start/restart/terminate, and its processes (``pgrep -f name``) for kill/freeze.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from squall.errors import ConfigError

_NODES = r"(?:(?P<nodes>random|one|single|all|[\w.-]+?) )?nodes?"
_FOR = r"(?: for (?P<seconds>\d+(?:\.\d+)?) seconds?)?"
_SERVICE = re.compile(
    rf"^(?P<action>\w+) (?P<name>[\w.-]+) (?P<kind>service|container)(?: on {_NODES})?{_FOR}$"
)
_NODE = re.compile(
    rf"^(?P<action>\w+)(?: (?P<network>[\w.-]+) network on)? {_NODES}"
    rf"(?: with (?P<service>[\w.-]+)(?: service)?)?{_FOR}$"
)
_NODE_BARE = re.compile(rf"^(?P<action>\w+)(?: (?P<network>[\w.-]+) network on)? {_NODES}$")

_MODES = {"random": "random", "one": "one", "single": "one", "all": "all"}
_NODE_ACTIONS = {
    "reboot": "reboot",
    "reset": "reset",
    "poweroff": "poweroff",
    "shutdown": "poweroff",
}


@dataclass(frozen=True)
class Translation:
    """A disruptor config equivalent to one sentence, and how long the fault lasts."""

    disruptor: str
    args: dict[str, Any] = field(default_factory=dict)
    down: float = 0.0


def _targeting(nodes: str | None) -> dict[str, Any]:
    if nodes is None:
        return {"mode": "all"}
    if nodes in _MODES:
        return {"mode": _MODES[nodes]}
    return {"host": nodes, "mode": "one"}


def translate(
    sentence: str,
    *,
    devcloud_services: Collection[str] = (),
    bindings: Mapping[str, Mapping[str, Any]] | None = None,
) -> Translation:
    """The disruptor that does what ``sentence`` says; ConfigError when it cannot."""
    text = " ".join(sentence.strip().lower().split())
    match = _SERVICE.match(text)
    if match:
        return _service(match.groupdict(), devcloud_services, bindings or {})
    match = _NODE.match(text) or _NODE_BARE.match(text)
    if match:
        return _node(match.groupdict())
    raise ConfigError(
        f"cannot read the fault {sentence!r}",
        hint="os-faults form: '<action> <name> service|container [on one|all|random|<host> "
        "node] [for N seconds]' or '<action> [one|all] node[s] [with <service> service]'",
    )


def _seconds(groups: Mapping[str, str | None]) -> float:
    value = groups.get("seconds")
    return float(value) if value else 0.0


def _service(
    groups: dict[str, str | None],
    devcloud: Collection[str],
    bindings: Mapping[str, Mapping[str, Any]],
) -> Translation:
    action, name = groups["action"] or "", groups["name"] or ""
    target = _targeting(groups["nodes"])
    down = _seconds(groups)
    if groups["kind"] == "container":
        verbs = {"restart": "restart", "terminate": "stop", "kill": "kill", "freeze": "pause"}
        verb = _verb(action, verbs, f"{name} container")
        return Translation("container", {"container": name, "action": verb, **target}, down)
    if name in bindings:
        binding = dict(bindings[name])
        plugin = str(binding.pop("disruptor", "process"))
        return Translation(plugin, {**binding, **target, "action": action}, down)
    if name in devcloud:
        verbs = {"kill": "kill", "freeze": "freeze", "restart": "restart", "terminate": "stop"}
        verb = _verb(action, verbs, f"devcloud service {name}")
        return Translation("process", {"devcloud": name, "action": verb, **target}, down)
    if action in ("kill", "freeze"):
        return Translation("process", {"name": name, "action": action, **target}, down)
    verbs = {"restart": "restart", "terminate": "stop", "start": "start"}
    verb = _verb(action, verbs, f"{name} service")
    return Translation("service", {"unit": name, "action": verb, **target}, down)


def _node(groups: dict[str, str | None]) -> Translation:
    action = groups["action"] or ""
    target = _targeting(groups["nodes"])
    if groups.get("service"):
        target["on_service"] = groups["service"]
    network = groups.get("network")
    if action == "disconnect" and network:
        args = {"action": "down", "interface": network, **target}
        return Translation("network", args, _seconds(groups))
    verb = _verb(action, _NODE_ACTIONS, "nodes")
    return Translation("node", {"action": verb, **target}, _seconds(groups))


def _verb(action: str, verbs: Mapping[str, str], what: str) -> str:
    if action in verbs:
        return verbs[action]
    if action in ("unfreeze", "plug", "connect", "poweron", "start"):
        hint = "squall undoes each fault itself when its time is up; give 'for N seconds'"
    else:
        hint = f"squall can {', '.join(sorted(verbs))} {what}"
    raise ConfigError(f"cannot {action} {what}", hint=hint)
