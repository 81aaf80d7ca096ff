"""fio: IOPS, bandwidth and completion-latency distributions from ``json+`` bins.

fio >= 3 only (latencies in nanoseconds, ``clat_ns.bins`` keyed by the bucket's value):
the bins go into an HdrHistogram per direction, so fleet-wide percentiles are merged,
not averaged. With ``--status-interval`` fio prints (and flushes) one cumulative JSON
document per interval, streamed by the agent while fio runs; the difference of two
consecutive documents is that interval.
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
    LineParser,
    Measurement,
    Target,
    Timing,
    Tool,
    ToolArgs,
    ToolOutputError,
)
from squall.stats.histogram import Histogram

DIRECTIONS = ("read", "write")
_NS = 1e-9


class FioArgs(ToolArgs):
    rw: Literal["read", "write", "randread", "randwrite", "rw", "randrw"] = "randread"
    bs: str = "4k"
    iodepth: int = Field(8, ge=1, le=4096)
    numjobs: int = Field(1, ge=1, le=64)
    size: str = "64M"
    rwmixread: int | None = Field(None, ge=0, le=100)
    rate_iops: int | None = Field(None, ge=1)
    ioengine: str = "libaio"
    direct: bool = True
    filename: str = Field(
        "squall-fio.bin",
        description="file (relative to the agent's work dir) or device, e.g. /dev/vdb",
    )


def build_command(args: FioArgs, timing: Timing) -> list[str]:
    argv = [
        "fio",
        "--name=squall",
        f"--filename={args.filename}",
        f"--size={args.size}",
        f"--rw={args.rw}",
        f"--bs={args.bs}",
        f"--iodepth={args.iodepth}",
        f"--numjobs={args.numjobs}",
        f"--ioengine={args.ioengine}",
        f"--direct={int(args.direct)}",
        "--time_based",
        f"--runtime={_seconds(timing.duration)}",
        "--group_reporting",
        "--output-format=json+",
        f"--status-interval={max(1, round(timing.report_interval))}",
    ]
    if timing.warmup > 0:
        argv.append(f"--ramp_time={_seconds(timing.warmup)}")
    if args.rwmixread is not None:
        argv.append(f"--rwmixread={args.rwmixread}")
    if args.rate_iops is not None:
        argv.append(f"--rate_iops={args.rate_iops}")
    return argv


def _seconds(value: float) -> str:
    return f"{max(1, round(value))}s"


def documents(text: str) -> list[dict[str, Any]]:
    """Every whole JSON report fio printed (one, or one per status interval).

    Text that is not a report is passed over: fio's notes, and a report cut where the
    agent left out the middle of a long output (it keeps the first and last lines).
    """
    decoder = json.JSONDecoder()
    docs: list[dict[str, Any]] = []
    i = text.find("{")
    while 0 <= i < len(text):
        try:
            doc, end = decoder.raw_decode(text, i)
        except ValueError:
            i = text.find("{", i + 1)
            continue
        if isinstance(doc, dict) and "jobs" in doc:
            docs.append(doc)
        i = text.find("{", end)
    if not docs:
        raise ToolOutputError("fio printed no JSON report")
    return docs


def _job(doc: dict[str, Any]) -> dict[str, Any]:
    version = str(doc.get("fio version", ""))
    jobs = doc.get("jobs") or []
    if not jobs:
        raise ToolOutputError("fio JSON has no jobs")
    job: dict[str, Any] = jobs[0]
    if "clat_ns" not in job.get("read", {}):
        raise ToolOutputError(
            f"fio {version or '(unknown version)'} reports microseconds; squall reads fio >= 3"
        )
    return job


def _bins(direction: dict[str, Any]) -> dict[int, int]:
    bins = direction.get("clat_ns", {}).get("bins") or {}
    return {int(k): int(v) for k, v in bins.items()}


def _histogram(bins: dict[int, int]) -> Histogram:
    hist = Histogram()
    for value, count in bins.items():
        if count > 0:
            hist.record(value * _NS, count)
    return hist


def parse(text: str) -> Measurement:
    docs = documents(text)
    last = _job(docs[-1])
    if int(last.get("error", 0)):
        return Measurement(error=f"fio job failed with error {last['error']}")
    counters, histograms = _totals(last)
    reports = Reports()
    intervals = [i for doc in docs for i in reports.document(doc)] if len(docs) > 1 else []
    return Measurement(counters=counters, histograms=histograms, intervals=intervals)


def _totals(job: dict[str, Any]) -> tuple[dict[str, float], dict[str, Histogram]]:
    """Counters and latency histograms of one (cumulative) job report."""
    counters: dict[str, float] = {}
    histograms: dict[str, Histogram] = {}
    for name in DIRECTIONS:
        d = job.get(name, {})
        if not d.get("total_ios"):
            continue
        counters[f"{name}_iops"] = float(d["iops"])
        counters[f"{name}_bytes_per_second"] = float(d["bw_bytes"])
        counters[f"{name}_bytes"] = float(d["io_bytes"])
        counters[f"{name}_ios"] = float(d["total_ios"])
        counters[f"{name}_short_ios"] = float(d.get("short_ios", 0))
        counters[f"{name}_drop_ios"] = float(d.get("drop_ios", 0))
        histograms[f"{name}_clat"] = _histogram(_bins(d))
    counters["usr_cpu"] = float(job.get("usr_cpu", 0.0))
    counters["sys_cpu"] = float(job.get("sys_cpu", 0.0))
    return counters, histograms


def _runtime(job: dict[str, Any]) -> float:
    """Seconds the job has run: ``job_runtime`` (ms, after the ramp), else whole ``elapsed``.

    ``elapsed`` counts whole seconds from the job's setup, so intervals cut on it are off
    by up to a second (the first and last ones most).
    """
    if "job_runtime" in job:
        return float(job["job_runtime"]) / 1000.0
    return float(job.get("elapsed", 0))


class Reports(LineParser):
    """fio's cumulative status documents, each interval the difference of two in a row.

    A document is the lines from a ``{`` line to a ``}`` line (fio's JSON layout); the
    final report repeats the last status document and adds nothing.
    """

    def __init__(self) -> None:
        super().__init__()
        self._lines: list[str] | None = None
        self._previous: dict[str, Any] | None = None
        self._elapsed = 0.0

    def line(self, line: str) -> list[IntervalMeasurement]:
        if line == "{":
            self._lines = []
        if self._lines is None:
            return []
        self._lines.append(line)
        if line != "}":
            return []
        text, self._lines = "\n".join(self._lines), None
        try:
            doc = json.loads(text)
        except ValueError:
            return []
        return self.document(doc) if isinstance(doc, dict) and "jobs" in doc else []

    def document(self, doc: dict[str, Any]) -> list[IntervalMeasurement]:
        job = _job(doc)
        elapsed = _runtime(job)
        if elapsed <= self._elapsed:
            return []
        counters: dict[str, float] = {}
        hists: dict[str, Histogram] = {}
        seconds = elapsed - self._elapsed
        for name in DIRECTIONS:
            now_d = job.get(name, {})
            before = (self._previous or {}).get(name, {})
            ios = int(now_d.get("total_ios", 0)) - int(before.get("total_ios", 0))
            if ios <= 0:
                continue
            moved = int(now_d.get("io_bytes", 0)) - int(before.get("io_bytes", 0))
            counters[f"{name}_iops"] = ios / seconds
            counters[f"{name}_bytes_per_second"] = moved / seconds
            old = _bins(before)
            delta = {k: v - old.get(k, 0) for k, v in _bins(now_d).items()}
            hists[f"{name}_clat"] = _histogram(delta)
        done = IntervalMeasurement(self._elapsed, elapsed, counters, hists)
        self._previous, self._elapsed = job, elapsed
        return [done]

    def measurement(self) -> Measurement:
        """The last status document's totals (cumulative), with the intervals so far."""
        if self._previous is None:
            return Measurement()
        counters, histograms = _totals(self._previous)
        return Measurement(counters, histograms, list(self.intervals))


class Fio(Tool):
    """Block storage I/O with fio on a file or a device (Cinder volume, loop device)."""

    name: ClassVar[str] = "fio"
    Config = FioArgs
    averaged: ClassVar[frozenset[str]] = frozenset({"usr_cpu", "sys_cpu"})
    headline: ClassVar[str] = "read_iops"

    def client_command(self, args: Any, target: Target, timing: Timing) -> ClientCommand:
        return ClientCommand(
            protocol.OP_RUN,
            argv=build_command(args, timing),
            timeout=timing.duration + timing.warmup + 120,
            report_interval=timing.report_interval,
        )

    def parse(self, args: Any, report: dict[str, Any], timing: Timing) -> Measurement:
        return parse(str(report.get("stdout", "")))

    def interim(self, args: Any, timing: Timing) -> IntervalParser:
        return Reports()

    def describe(self, counters: dict[str, float], seconds: float) -> str:
        parts = [
            f"{d} {counters[f'{d}_iops']:,.0f} IOPS "
            f"{counters.get(f'{d}_bytes_per_second', 0.0) / 1e6:.0f} MB/s"
            for d in DIRECTIONS
            if f"{d}_iops" in counters
        ]
        return ", ".join(parts) or "no I/O"
