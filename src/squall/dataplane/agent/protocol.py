"""The controller <-> agent wire protocol: versioned JSON messages signed with HMAC.

Standard library only: this module is packaged into the agent zipapp and imported by
the controller alike.

Every HTTP body in either direction is one JSON object ``{"v": VERSION, "run": RUN_ID,
"kind": KIND, "agent": AGENT_ID, "seq": N, "ts": WALL_CLOCK, "body": {...}}`` and
carries the header ``X-Squall-Signature: v1=<hex HMAC-SHA256 of the raw body bytes>``
under the per-run secret. A receiver checks the signature first (constant-time), then
the version and the run id, then that ``seq`` grows (no replay). Nothing received is
ever evaluated as code: bodies are data, commands name tools from a fixed allow-list.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

VERSION = 1
SIGNATURE_HEADER = "X-Squall-Signature"
_SCHEME = "v1="
#: Largest body either side accepts (encoded histograms stay far below this).
MAX_BODY = 16 * 1024 * 1024

# message kinds, agent -> controller
REGISTER = "register"
POLL = "poll"
RESULT = "result"
# controller -> agent
REPLY = "reply"

# command operations (controller -> agent, inside a poll reply)
OP_RUN = "run"  # run an allow-listed tool binary with argv, report its output
OP_HTTPLOAD = "httpload"  # the agent's own open-loop HTTP generator
OP_SERVE = "serve"  # start a long-running service (nginx, iperf3 server, built-in http)
OP_STOP_SERVICES = "stop_services"
OP_EXIT = "exit"
OP_CUSTOM = "custom"  # a custom test shipped inside the signed bundle, named, never sent
OPERATIONS = (OP_RUN, OP_HTTPLOAD, OP_SERVE, OP_STOP_SERVICES, OP_EXIT, OP_CUSTOM)

#: Binaries an agent will execute; anything else in a command is refused.
ALLOWED_TOOLS = ("iperf3", "fio", "ping", "wrk", "nginx")


class ProtocolError(Exception):
    """A message that is malformed, unsigned, badly signed, replayed or of another run."""


def new_secret() -> str:
    """A fresh per-run secret (256 bits, hex)."""
    return secrets.token_hex(32)


def sign(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("ascii"), body, hashlib.sha256).hexdigest()
    return _SCHEME + digest


def verify(secret: str, body: bytes, signature: str | None) -> None:
    """Raise ``ProtocolError`` unless ``signature`` is ``sign(secret, body)``."""
    if not signature or not signature.startswith(_SCHEME):
        raise ProtocolError("missing or unknown signature scheme")
    if not hmac.compare_digest(sign(secret, body), signature.strip()):
        raise ProtocolError("bad signature")


@dataclass(frozen=True)
class Message:
    """One protocol message; ``body`` holds the kind-specific fields."""

    kind: str
    run: str
    agent: str
    seq: int
    ts: float
    body: dict[str, Any] = field(default_factory=dict)
    v: int = VERSION

    def encode(self, secret: str) -> tuple[bytes, str]:
        """The JSON bytes to send and their signature header value."""
        raw = json.dumps(
            {
                "v": self.v,
                "run": self.run,
                "kind": self.kind,
                "agent": self.agent,
                "seq": self.seq,
                "ts": self.ts,
                "body": self.body,
            },
            separators=(",", ":"),
        ).encode("utf-8")
        return raw, sign(secret, raw)


def decode(secret: str, raw: bytes, signature: str | None, run: str) -> Message:
    """Check and read a message of run ``run``; raise ``ProtocolError`` otherwise."""
    if len(raw) > MAX_BODY:
        raise ProtocolError(f"message of {len(raw)} bytes is larger than {MAX_BODY}")
    verify(secret, raw, signature)
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ProtocolError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ProtocolError("a message must be a JSON object")
    version = data.get("v")
    if version != VERSION:
        raise ProtocolError(f"protocol version {version!r}, this side speaks {VERSION}")
    if data.get("run") != run:
        raise ProtocolError(f"message for run {data.get('run')!r}, not {run!r}")
    try:
        return Message(
            kind=_text(data, "kind"),
            run=run,
            agent=_text(data, "agent"),
            seq=int(data["seq"]),
            ts=float(data["ts"]),
            body=_mapping(data.get("body", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolError(f"malformed message: {exc}") from None


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ProtocolError(f"field {key!r} must be a non-empty string")
    return value


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProtocolError("field 'body' must be an object")
    return value


class SequenceGuard:
    """Refuses a message whose ``seq`` is not above the last one seen from its sender."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def check(self, sender: str, seq: int) -> None:
        last = self._last.get(sender, -1)
        if seq <= last:
            raise ProtocolError(
                f"replayed or out-of-order message {seq} from {sender} (last {last})"
            )
        self._last[sender] = seq

    def forget(self, sender: str) -> None:
        self._last.pop(sender, None)


def clock_offset(t0: float, t1: float, t2: float, t3: float) -> tuple[float, float]:
    """NTP's estimate from one exchange: (offset of the remote clock, round-trip delay).

    ``t0`` local send, ``t1`` remote receive, ``t2`` remote send, ``t3`` local receive.
    remote_time ~= local_time + offset.
    """
    offset = ((t1 - t0) + (t2 - t3)) / 2
    delay = (t3 - t0) - (t2 - t1)
    return offset, delay
