"""HTTP: nginx (or the agent's built-in server) against squall's open-loop generator or wrk.

``driver: squall`` (default) runs the agent's own generator: open loop at ``rate``
requests/s over ``connections`` (0 = closed loop), latency from the intended send time
in per-interval HdrHistograms, status classes, errors and timeouts. ``driver: wrk`` runs
Debian's wrk (closed loop) with a report script; its latency distribution comes back as
1000 quantiles, so its histogram is exact to 0.1 % of rank, not lossless.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

from pydantic import Field

from squall.dataplane.agent import protocol
from squall.dataplane.tools.base import (
    ClientCommand,
    IntervalMeasurement,
    IntervalParser,
    Measurement,
    Target,
    Timing,
    Tool,
    ToolArgs,
    ToolOutputError,
    merge_counters,
)
from squall.stats.histogram import Histogram

WRK_MARK = "SQUALL-WRK "
_US = 1e-6


class HttpArgs(ToolArgs):
    driver: Literal["squall", "wrk"] = "squall"
    connections: int = Field(10, ge=1, le=10_000)
    rate: float = Field(0.0, ge=0, description="requests/s per client; 0 = as fast as possible")
    size: int = Field(1024, ge=0, le=64 * 1024 * 1024, description="response body bytes")
    timeout: float = Field(5.0, gt=0)
    server: Literal["auto", "nginx", "builtin"] = "auto"
    server_workers: int = Field(1, ge=1, le=64)
    threads: int = Field(1, ge=1, le=64, description="wrk threads")


def path_for(args: HttpArgs) -> str:
    return f"/squall-{args.size}.bin"


def build_command(args: HttpArgs, target: Target, timing: Timing) -> list[str]:
    """The wrk argv (``driver: wrk``)."""
    seconds = max(1, round(timing.duration + timing.warmup))
    return [
        "wrk",
        f"-t{args.threads}",
        f"-c{max(args.connections, args.threads)}",
        f"-d{seconds}s",
        "--timeout",
        f"{max(1, round(args.timeout))}s",
        "-s",
        "wrk-report.lua",
        f"http://{_host(target.host)}:{target.port}{path_for(args)}",
    ]


def build_spec(args: HttpArgs, target: Target, timing: Timing) -> dict[str, Any]:
    """The generator spec (``driver: squall``)."""
    return {
        "host": target.host,
        "port": target.port,
        "path": path_for(args),
        "connections": args.connections,
        "rate": args.rate,
        "duration": timing.duration + timing.warmup,
        "timeout": args.timeout,
        "report_interval": timing.report_interval,
    }


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def parse_wrk(text: str) -> Measurement:
    line = next((ln for ln in text.splitlines() if ln.startswith(WRK_MARK)), None)
    if line is None:
        raise ToolOutputError("wrk printed no report line (was the report script loaded?)")
    try:
        data = json.loads(line[len(WRK_MARK) :])
        errors = data["errors"]
        quantiles = [int(v) for v in data["latency"]["quantiles"]]
        requests = int(data["requests"])
        counters = {
            "requests": float(requests),
            "bytes": float(data["bytes"]),
            "errors": float(errors["connect"] + errors["read"] + errors["write"]),
            "timeouts": float(errors["timeout"]),
            "status_not_2xx_3xx": float(errors["status"]),
            "duration": float(data["duration_us"]) * _US,
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise ToolOutputError(
            f"wrk report line is not what squall's script prints: {exc}"
        ) from None
    hist = Histogram()
    if quantiles and requests:
        base, extra = divmod(requests, len(quantiles))
        for i, value in enumerate(quantiles):
            count = base + (1 if i < extra else 0)
            if count:
                hist.record(value * _US, count)
    return Measurement(counters=counters, histograms={"latency": hist})


class Snapshots(IntervalParser):
    """The generator's interval snapshots; those mostly inside the warm-up are left out."""

    def __init__(self, warmup: float) -> None:
        super().__init__()
        self.warmup = warmup

    def _feed(self, data: dict[str, Any]) -> list[IntervalMeasurement]:
        item = data.get("interval")
        if not isinstance(item, dict):
            return []
        start, end = float(item["start"]), float(item["end"])
        if (start + end) / 2 < self.warmup:
            return []
        counters = {str(k): float(v) for k, v in dict(item.get("counters", {})).items()}
        hists = {
            str(name): Histogram.decode(str(blob))
            for name, blob in dict(item.get("histograms", {})).items()
        }
        return [IntervalMeasurement(start - self.warmup, end - self.warmup, counters, hists)]

    def measurement(self) -> Measurement:
        result = super().measurement()
        result.histograms.setdefault("latency", Histogram())
        return result

    def totals(self) -> dict[str, float]:
        counters: dict[str, float] = {}
        for item in self.intervals:
            merge_counters(counters, item.counters)
        if self.intervals:
            counters["duration"] = self.intervals[-1].end - max(0.0, self.intervals[0].start)
        return counters


def parse_intervals(intervals: list[dict[str, Any]], warmup: float) -> Measurement:
    """The generator's interval snapshots, summed and merged (warm-up left out)."""
    snapshots = Snapshots(warmup)
    for item in intervals:
        snapshots.feed({"interval": item})
    return snapshots.measurement()


class Http(Tool):
    """HTTP GETs of a fixed-size body: nginx server, squall's open-loop generator or wrk."""

    name: ClassVar[str] = "http"
    Config = HttpArgs
    averaged: ClassVar[frozenset[str]] = frozenset({"duration"})
    headline: ClassVar[str] = "requests"

    def server_service(self, args: Any, port: int) -> dict[str, Any] | None:
        return {
            "service": "http",
            "name": "http",
            "port": port,
            "size": args.size,
            "path": path_for(args),
            "server": args.server,
            "workers": args.server_workers,
        }

    def client_command(self, args: Any, target: Target, timing: Timing) -> ClientCommand:
        timeout = timing.duration + timing.warmup + args.timeout + 30
        if args.driver == "wrk":
            return ClientCommand(
                protocol.OP_RUN,
                argv=build_command(args, target, timing),
                assets=["wrk-report.lua"],
                timeout=timeout,
            )
        return ClientCommand(
            protocol.OP_HTTPLOAD, spec=build_spec(args, target, timing), timeout=timeout
        )

    def parse(self, args: Any, report: dict[str, Any], timing: Timing) -> Measurement:
        if args.driver == "wrk":
            return parse_wrk(str(report.get("stdout", "")))
        return parse_intervals(list(report.get("intervals", [])), timing.warmup)

    def interim(self, args: Any, timing: Timing) -> IntervalParser | None:
        return Snapshots(timing.warmup) if args.driver == "squall" else None

    def describe(self, counters: dict[str, float], seconds: float) -> str:
        errors = sum(counters.get(k, 0.0) for k in ("errors", "timeouts", "status_not_2xx_3xx"))
        errors += sum(v for k, v in counters.items() if k in ("status_4xx", "status_5xx"))
        rate = counters.get("requests", 0.0) / seconds if seconds > 0 else 0.0
        return f"{rate:,.0f} req/s, {errors:.0f} errors"
