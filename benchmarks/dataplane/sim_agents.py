"""Many simulated agents in one process: they speak the real protocol over the unix socket.

Each registers, long-polls, and on a command fires a timer at ``start_at``, then reports
when it fired. Run by ``controller.py``; not a squall agent (it runs no tool).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

from squall.dataplane.agent import protocol


class SimAgent:
    def __init__(self, name: str, path: str, run: str, secret: str) -> None:
        self.name, self.path, self.run, self.secret = name, path, run, secret
        self.seq = time.time_ns()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def call(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_unix_connection(self.path)
        assert self.reader is not None
        self.seq += 1
        raw, sig = protocol.Message(kind, self.run, self.name, self.seq, time.time(), body).encode(
            self.secret
        )
        head = (
            f"POST /v1/{kind} HTTP/1.1\r\nHost: c\r\nContent-Length: {len(raw)}\r\n"
            f"{protocol.SIGNATURE_HEADER}: {sig}\r\n\r\n"
        )
        self.writer.write(head.encode() + raw)
        headers = await self.reader.readuntil(b"\r\n\r\n")
        length = int(headers.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        data = await self.reader.readexactly(length)
        signature = ""
        for line in headers.decode().split("\r\n"):
            if line.lower().startswith(protocol.SIGNATURE_HEADER.lower()):
                signature = line.split(":", 1)[1].strip()
        return protocol.decode(self.secret, data, signature, self.run).body

    async def live(self) -> None:
        loop = asyncio.get_running_loop()
        await self.call(protocol.REGISTER, {"labels": {"sim": "1"}})
        while True:
            reply = await self.call(protocol.POLL, {"wait": 20})
            received = time.time()
            for command in reply.get("commands", []):
                if command["op"] == protocol.OP_EXIT:
                    return
                fired = loop.create_future()
                start_at = float(command["start_at"])
                # as the real agent: sleep until 5 ms before, then spin to the instant
                loop.call_later(max(0.0, start_at - time.time() - 0.005), _fire, fired, start_at)
                started = await fired
                await self.call(
                    protocol.RESULT,
                    {
                        "command": command["id"],
                        "status": "ok",
                        "started_at": started,
                        "received_at": received,
                    },
                )


def _fire(fired: asyncio.Future[float], start_at: float) -> None:
    while (now := time.time()) < start_at:
        pass
    fired.set_result(now)


async def main(args: argparse.Namespace) -> None:
    with open(args.secret_file) as handle:
        secret = handle.read().strip()
    agents = [
        SimAgent(f"{args.prefix}{i}", args.socket, args.run, secret) for i in range(args.count)
    ]
    await asyncio.gather(*(a.live() for a in agents))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    parser.add_argument("--run", required=True)
    parser.add_argument("--secret-file", required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--prefix", default="sim")
    asyncio.run(main(parser.parse_args()))
    sys.exit(0)
