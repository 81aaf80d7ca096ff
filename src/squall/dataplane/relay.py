"""The relay a proxy instance runs when agents cannot reach squall's controller (stdlib only).

Agents connect to the relay's *agent port* as if it were the controller; squall
connects out to its *back port* (by floating IP) and keeps a few connections idle
there, each opened with ``SQUALL-RELAY <token>`` (an HMAC of the run under the run
secret). Each agent connection is paired with one idle back connection and the
bytes are piped both ways; squall's side (``squall.dataplane.providers.openstack_proxy``)
pipes them on to the controller. Nothing crossing the relay is interpreted: the
agent protocol's messages stay signed end to end.

Runs on any Python 3.8+: ``python3 relay.pyz --config relay.json`` (the bootstrap
of ``squall.dataplane.bootstrap`` starts it after checking its signature).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import sys

HELLO = b"SQUALL-RELAY "
HELLO_TIMEOUT = 10.0
PAIR_TIMEOUT = 30.0
CHUNK = 65536


def token(secret: str, run: str) -> str:
    """What a back connection must present: HMAC-SHA256 of ``relay:<run>``."""
    return hmac.new(secret.encode(), f"relay:{run}".encode(), hashlib.sha256).hexdigest()


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy ``reader`` to ``writer`` until EOF, then close ``writer``."""
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


class Relay:
    """Pairs agent connections with squall's idle back connections."""

    def __init__(self, secret: str, run: str) -> None:
        self.expected = HELLO + token(secret, run).encode() + b"\n"
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )
        self.refused = 0

    async def back(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), HELLO_TIMEOUT)
        except (asyncio.TimeoutError, ConnectionError, OSError):  # noqa: UP041 - Python 3.8
            line = b""
        if not hmac.compare_digest(line, self.expected):
            self.refused += 1
            writer.close()
            return
        await self.idle.put((reader, writer))

    async def agent(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                back_reader, back_writer = await asyncio.wait_for(self.idle.get(), PAIR_TIMEOUT)
            except asyncio.TimeoutError:  # noqa: UP041 - not the builtin before Python 3.11
                writer.close()
                return
            if not back_reader.at_eof() and not back_writer.is_closing():
                break
        await asyncio.gather(pipe(reader, back_writer), pipe(back_reader, writer))


async def serve(config: dict[str, object]) -> None:
    relay = Relay(str(config["secret"]), str(config["run"]))
    host = str(config.get("host", "0.0.0.0"))
    agents = await asyncio.start_server(relay.agent, host, int(str(config["agent_port"])))
    backs = await asyncio.start_server(relay.back, host, int(str(config["back_port"])))
    async with agents, backs:
        await asyncio.gather(agents.serve_forever(), backs.serve_forever())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="squall-relay", description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True, help="relay JSON config file")
    args = parser.parse_args(argv)
    with open(args.config) as handle:
        config = json.load(handle)
    try:
        asyncio.run(serve(config))
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
