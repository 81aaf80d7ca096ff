"""The data-plane agent: register, long-poll for commands, run them, report results.

Run as ``python3 squall-agent.pyz --config agent.json`` (or ``python3 -m
squall.dataplane.agent`` from a source tree). The config holds the controller URL,
the run id, this agent's id and the per-run secret; it is written by the provider
(cloud-init user-data on OpenStack, a file on netns). Standard library only.

Commands come as data: a tool name from ``protocol.ALLOWED_TOOLS`` with its argv,
a built-in load spec, or a service spec. Nothing received is evaluated as code.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from . import protocol
from .assets import ASSETS
from .client import Client
from .hdr import Recorder
from .httpload import LoadSpec, run_load
from .output import ChildOutput
from .reporting import IntervalSender
from .services import ServiceError, Services

AGENT_VERSION = "1"
#: The Debian/Ubuntu package that brings each allowed tool.
PACKAGES = {"ping": "iputils-ping", "nginx": "nginx-light"}
MAX_OUTPUT = 8 * 1024 * 1024
POLL_WAIT = 15.0
POLL_GRACE = 10.0  # seconds a poll reply may take beyond the granted wait


class Agent:
    def __init__(self, config: dict[str, Any]) -> None:
        self.id = str(config["agent_id"])
        self.labels = dict(config.get("labels", {}))
        self.workdir = Path(config.get("workdir") or f"/tmp/squall-agent-{self.id}")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.client = Client(
            str(config["controller"]), str(config["run"]), self.id, str(config["secret"])
        )
        self.register_timeout = float(config.get("register_timeout", 300))
        self.services = Services(self.workdir)
        self.offset = 0.0  # controller clock - our clock
        self.delay = float("inf")
        self.children: dict[int, subprocess.Popen[bytes]] = {}
        self.children_lock = threading.Lock()
        self.stopping = threading.Event()
        self.workers: list[threading.Thread] = []

    # ---- lifecycle -----------------------------------------------------------------
    def run(self) -> int:
        deadline = time.monotonic() + self.register_timeout
        accepted = self._exchange(protocol.REGISTER, self._registration(), deadline=deadline)
        # The controller answers a poll within its own poll_wait; waiting much longer
        # for a reply only prolongs a hang on a connection the controller dropped.
        wait = min(POLL_WAIT, float(accepted.get("poll_wait", POLL_WAIT)))
        for _ in range(3):  # quick exchanges to measure the clock offset
            reply = self._exchange(protocol.POLL, {"wait": 0}, deadline=deadline)
            for command in reply.get("commands", []):
                self._start(command)
        while not self.stopping.is_set():
            try:
                reply = self._exchange(
                    protocol.POLL,
                    {"wait": wait, "running": self._running()},
                    deadline=time.monotonic() + self.register_timeout,
                    timeout=wait + POLL_GRACE,
                )
            except (OSError, protocol.ProtocolError) as exc:
                print(f"agent {self.id}: controller unreachable: {exc}", file=sys.stderr)
                break
            for command in reply.get("commands", []):
                self._start(command)
        self.shutdown()
        return 0

    def shutdown(self) -> None:
        self.stopping.set()
        with self.children_lock:
            children = list(self.children.values())
        for child in children:
            _terminate(child)
        self.services.stop_all()

    def _registration(self) -> dict[str, Any]:
        return {
            "agent_version": AGENT_VERSION,
            "hostname": socket.gethostname(),
            "labels": self.labels,
            "pid": os.getpid(),
            "tools": {name: _which(name) is not None for name in protocol.ALLOWED_TOOLS},
            "python": sys.version.split()[0],
        }

    def _exchange(
        self, kind: str, body: dict[str, Any], *, deadline: float, timeout: float = 30.0
    ) -> dict[str, Any]:
        t0 = time.time()
        reply = self.client.call_retrying(
            kind,
            {**body, "t0": t0, "offset": self.offset, "delay": self.delay},
            deadline=deadline,
            timeout=timeout,
        )
        t3 = time.time()
        if "t1" in reply and "t2" in reply:
            offset, delay = protocol.clock_offset(t0, float(reply["t1"]), float(reply["t2"]), t3)
            if delay <= self.delay * 1.5 or delay < 0.002:
                self.offset, self.delay = offset, min(delay, self.delay)
        return reply

    def _running(self) -> list[str]:
        return [t.name for t in self.workers if t.is_alive()]

    # ---- commands ------------------------------------------------------------------
    def _start(self, command: dict[str, Any]) -> None:
        op = command.get("op")
        if op == protocol.OP_EXIT:
            self._report(command, {"status": "ok"})
            self.stopping.set()
            return
        thread = threading.Thread(
            target=self._execute, args=(command,), name=str(command.get("id")), daemon=True
        )
        self.workers = [t for t in self.workers if t.is_alive()]
        self.workers.append(thread)
        thread.start()

    def _execute(self, command: dict[str, Any]) -> None:
        op = command.get("op")
        try:
            if op == protocol.OP_RUN:
                outcome = self._run_tool(command)
            elif op == protocol.OP_HTTPLOAD:
                outcome = self._httpload(command)
            elif op == protocol.OP_SERVE:
                service = self.services.start(dict(command["spec"]))
                outcome = {"status": "ok", "service": service.kind, "pid": service.pid}
            elif op == protocol.OP_CUSTOM:
                outcome = self._custom(command)
            elif op == protocol.OP_STOP_SERVICES:
                self.services.stop_all()
                outcome = {"status": "ok"}
            else:
                outcome = {"status": "error", "error": f"unknown operation {op!r}"}
        except ServiceError as exc:
            outcome = {"status": "error", "error": str(exc)}
        except (KeyError, TypeError, ValueError) as exc:
            outcome = {"status": "error", "error": f"bad command: {exc!r}"}
        self._report(command, outcome)

    def _report(self, command: dict[str, Any], outcome: dict[str, Any], final: bool = True) -> None:
        body = {"command": command.get("id"), "final": final, **outcome}
        try:
            self.client.call_retrying(
                protocol.RESULT, body, deadline=time.monotonic() + 60.0, timeout=30.0
            )
        except (OSError, protocol.ProtocolError) as exc:
            print(f"agent {self.id}: result lost: {exc}", file=sys.stderr)

    def _wait_start(self, command: dict[str, Any]) -> float:
        """Sleep until the controller's ``start_at``; return our actual start in its clock."""
        start_at = command.get("start_at")
        if start_at is not None:
            target = float(start_at) - self.offset
            while (left := target - time.time()) > 0.002:
                time.sleep(left - 0.001 if left > 0.01 else 0.0005)
            while time.time() < target:
                pass
        return time.time() + self.offset

    def _run_tool(self, command: dict[str, Any]) -> dict[str, Any]:
        argv = [str(a) for a in command["argv"]]
        if os.path.basename(argv[0]) not in protocol.ALLOWED_TOOLS:
            return {"status": "error", "error": f"tool {argv[0]!r} is not allowed"}
        binary = _which(os.path.basename(argv[0]))
        if binary is None:
            package = PACKAGES.get(argv[0], argv[0])
            return {
                "status": "error",
                "error": f"{argv[0]} is not installed on {socket.gethostname()} "
                f"(install the {package} package)",
                "missing_tool": argv[0],
            }
        for asset in command.get("assets", []):
            if asset not in ASSETS:
                return {"status": "error", "error": f"unknown asset {asset!r}"}
            (self.workdir / asset).write_text(ASSETS[asset], encoding="utf-8")
        timeout = float(command.get("timeout", 600))
        started = self._wait_start(command)
        process = subprocess.Popen(
            [binary, *argv[1:]],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.workdir,
        )
        with self.children_lock:
            self.children[process.pid] = process
        output = ChildOutput(
            process, MAX_OUTPUT, streaming=command.get("report_interval") is not None
        )
        try:
            status = self._follow(command, process, output, timeout)
        finally:
            with self.children_lock:
                self.children.pop(process.pid, None)
        outcome = {
            "status": status,
            "started_at": started,
            "finished_at": time.time() + self.offset,
            "returncode": process.returncode,
            "stdout": output.stdout(),
            "stderr": output.stderr(),
        }
        if output.out.skipped:
            outcome["stdout_skipped"] = output.out.skipped
        return outcome

    def _follow(
        self,
        command: dict[str, Any],
        process: subprocess.Popen[bytes],
        output: ChildOutput,
        timeout: float,
    ) -> str:
        """Wait for ``process``; every ``report_interval`` report its new output lines."""
        step = command.get("report_interval")
        deadline = time.monotonic() + timeout
        status = "ok"
        while True:
            left = deadline - time.monotonic()
            wait = min(left, float(step)) if step else left
            try:
                process.wait(max(0.0, wait))
                break
            except subprocess.TimeoutExpired:
                if time.monotonic() >= deadline:
                    _terminate(process)
                    status = "timeout"
                    break
            self._report_output(command, output)
        output.join()
        self._report_output(command, output)  # the last interval, printed as the tool ended
        if status == "ok" and process.returncode != 0:
            status = "error"
        return status

    def _report_output(self, command: dict[str, Any], output: ChildOutput) -> None:
        fresh = output.take()
        if fresh:
            self._report(command, {"status": "running", "output": fresh}, final=False)

    def _custom(self, command: dict[str, Any]) -> dict[str, Any]:
        """Run ``custom.<test>.run(target, args, duration)`` from the bundle."""
        spec = dict(command["spec"])
        name = str(spec["test"])
        try:
            module = custom_test(name)
        except ImportError as exc:
            return {"status": "error", "error": f"no custom test {name!r} in the bundle: {exc}"}
        started = self._wait_start(command)
        try:
            result = module.run(
                dict(spec.get("target", {})),
                dict(spec.get("args", {})),
                float(spec.get("duration", 10)),
            )
        except Exception as exc:  # the custom test's own failure, reported as its result
            return {
                "status": "error",
                "error": f"custom test {name} failed: {exc!r}",
                "started_at": started,
            }
        counters = {str(k): float(v) for k, v in dict(result.get("counters", {})).items()}
        histograms = {}
        for key, values in dict(result.get("latencies_us", {})).items():
            recorder = Recorder()
            for value in values:
                recorder.record(int(value))
            histograms[str(key)] = recorder.encode()
        return {
            "status": "ok",
            "started_at": started,
            "finished_at": time.time() + self.offset,
            "counters": counters,
            "histograms": histograms,
        }

    def _httpload(self, command: dict[str, Any]) -> dict[str, Any]:
        spec = LoadSpec.from_dict(dict(command["spec"]))
        started = self._wait_start(command)
        sender = IntervalSender(
            lambda snap: self._report(command, {"status": "running", "interval": snap}, False)
        )
        try:
            run_load(spec, sender.put)
        finally:
            snapshots = sender.close()
        return {
            "status": "ok",
            "started_at": started,
            "finished_at": time.time() + self.offset,
            "intervals": snapshots,
        }


def custom_test(name: str) -> Any:
    """The custom test module ``name`` shipped in this bundle (``custom/<name>.py``)."""
    if not name.isidentifier():
        raise ImportError(f"{name!r} is not a module name")
    package = __name__.rpartition(".")[0]
    return importlib.import_module(f"{package}.custom.{name}")


def _which(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for directory in ("/usr/sbin", "/sbin", "/usr/local/sbin"):
        candidate = os.path.join(directory, name)
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def _terminate(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def load_config(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="squall-agent", description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True, help="agent JSON config file")
    args = parser.parse_args(argv)
    with open(args.config, encoding="utf-8") as handle:
        config: dict[str, Any] = json.load(handle)
    secret_file = config.pop("secret_file", None)
    if secret_file and "secret" not in config:
        with open(secret_file, encoding="ascii") as handle:
            config["secret"] = handle.read().strip()
    return config


def main(argv: list[str] | None = None) -> int:
    config = load_config(argv)
    agent = Agent(config)

    def _stop(signum: int, _frame: object) -> None:
        agent.shutdown()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        return agent.run()
    finally:
        agent.shutdown()
