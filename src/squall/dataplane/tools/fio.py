"""fio: IOPS, bandwidth and completion-latency distributions from ``json+`` bins.

fio >= 3 only (latencies in nanoseconds, ``clat_ns.bins`` keyed by the bucket's value):
the bins go into an HdrHistogram per direction, so fleet-wide percentiles are merged,
not averaged. With ``--status-interval`` fio prints (and flushes) one cumulative JSON
document per interval, streamed by the agent while fio runs; the difference of two
consecutive documents is that interval.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import numpy.typing as npt
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


@dataclass(frozen=True)
class Bins:
    """A direction's ``clat_ns.bins``: bucket values (ns, ascending) and their counts."""

    values: npt.NDArray[np.int64]
    counts: npt.NDArray[np.int64]

    @classmethod
    def of(cls, direction: dict[str, Any]) -> Bins:
        bins = direction.get("clat_ns", {}).get("bins") or {}
        values = np.fromiter(map(int, bins.keys()), dtype=np.int64, count=len(bins))
        counts = np.fromiter(map(int, bins.values()), dtype=np.int64, count=len(bins))
        order = np.argsort(values, kind="stable")
        return cls(values[order], counts[order])

    def since(self, before: Bins) -> Bins:
        """The counts added since ``before`` (cumulative: its buckets are among these)."""
        at = np.searchsorted(before.values, self.values)
        found = at < len(before.values)
        found[found] = before.values[at[found]] == self.values[found]
        previous = np.zeros_like(self.counts)
        previous[found] = before.counts[at[found]]
        return Bins(self.values, self.counts - previous)

    def histogram(self) -> Histogram:
        """Each bucket's count at its value, in one vectorised call."""
        hist = Histogram()
        hist.record_counts(self.values.astype(np.float64) * _NS, self.counts)
        return hist


NO_BINS = Bins(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))


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
        histograms[f"{name}_clat"] = Bins.of(d).histogram()
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


def _line(text: str, mark: str, pos: int = 0, searched: int = 0) -> int:
    """Where the first whole line ``mark`` at or after ``pos`` (a line start) begins; -1.

    ``searched``: how much of ``text`` is known to hold no such line after ``pos``.
    """
    if text.startswith(mark + "\n", pos):
        return pos
    found = text.find("\n" + mark + "\n", max(pos, searched - len(mark) - 1))
    return found + 1 if found >= 0 else -1


class Reports(IntervalParser):
    """fio's cumulative status documents, each interval the difference of two in a row.

    A document is the text from a ``{`` line to a ``}`` line (fio's JSON layout: nested
    braces are indented), found with ``str.find`` over each report's output rather than
    line by line (a status document is some 1,300 lines, one per latency bin); a later
    ``{`` line starts the document again. The final report repeats the last status
    document and adds nothing.
    """

    def __init__(self) -> None:
        super().__init__()
        self._text = ""  # output not read yet: from a line start, an unfinished document
        self._searched = 0  # how much of it holds no document's end
        self._previous: dict[str, Any] | None = None
        self._previous_bins: dict[str, Bins] = {}
        self._elapsed = 0.0

    def _feed(self, data: dict[str, Any]) -> list[IntervalMeasurement]:
        self._text += str(data.get("output", ""))
        return self._documents()

    def _flush(self) -> list[IntervalMeasurement]:
        self._text += "\n"  # the last line is whole
        return self._documents()

    def _documents(self) -> list[IntervalMeasurement]:
        done: list[IntervalMeasurement] = []
        text, searched = self._text, self._searched
        while (start := _line(text, "{")) >= 0 and (end := _line(text, "}", start, searched)) >= 0:
            restart = text.rfind("\n{\n", start, end)
            begin = start if restart < 0 else restart + 1
            done.extend(self._read(text[begin : end + 1]))
            text, searched = text[end + 2 :], 0
        self._text = text[start:] if start >= 0 else text[text.rfind("\n") + 1 :]
        self._searched = len(self._text) if start >= 0 else 0
        return done

    def _read(self, text: str) -> list[IntervalMeasurement]:
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
        bins = {name: Bins.of(job.get(name, {})) for name in DIRECTIONS}
        for name in DIRECTIONS:
            now_d = job.get(name, {})
            before = (self._previous or {}).get(name, {})
            ios = int(now_d.get("total_ios", 0)) - int(before.get("total_ios", 0))
            if ios <= 0:
                continue
            moved = int(now_d.get("io_bytes", 0)) - int(before.get("io_bytes", 0))
            counters[f"{name}_iops"] = ios / seconds
            counters[f"{name}_bytes_per_second"] = moved / seconds
            delta = bins[name].since(self._previous_bins.get(name, NO_BINS))
            hists[f"{name}_clat"] = delta.histogram()
        done = IntervalMeasurement(self._elapsed, elapsed, counters, hists)
        self._previous, self._previous_bins, self._elapsed = job, bins, elapsed
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
