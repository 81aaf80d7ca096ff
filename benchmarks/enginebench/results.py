"""One shape for a workload's results, whichever tool produced them.

Rally's JSON report (``format_version`` 1.2) and squall's own export
(``schema: squall.run/2``, or the older ``squall.run/1``) are parsed into
:class:`WorkloadRun`, so every figure is computed the same way from the same kind of
numbers. squall.run/2 rounds every iteration time to the microsecond; a run says so
in ``time_resolution``.

Iterations are kept as columns (plain float lists), not one object each: the
million-iteration figure parses a million of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

RALLY_FORMAT = "1.2"
#: squall's export schemas this parser reads, and the step each rounds iteration times to.
SQUALL_SCHEMAS = {"squall.run/1": 0.0, "squall.run/2": 1e-6}


class ResultsFormatError(ValueError):
    """A results document is not in the format this parser reads."""


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """The tool's own summary of iteration durations (the "total" row), in seconds."""

    count: int
    min: float | None
    median: float | None
    p90: float | None
    p95: float | None
    p99: float | None
    max: float | None
    avg: float | None
    success_percent: float | None


@dataclass(frozen=True, slots=True)
class WorkloadRun:
    """One workload as one tool ran it.

    ``starts`` are actual start times in seconds relative to the workload's first
    start; ``scheduled`` (squall only) are intended starts on the same clock, so
    ``starts[i] - scheduled[i]`` is the start lag. ``durations`` exclude idle time.
    Columns are sorted by actual start. ``time_resolution`` is the step the document
    rounded iteration times to (0.0: exact floats).
    """

    tool: str
    scenario: str
    runner: dict[str, Any]
    load_duration: float
    full_duration: float
    iteration_count: int
    failed_count: int
    starts: list[float]
    durations: list[float]
    failed: list[bool]
    summary: SummaryRow | None
    scheduled: list[float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    time_resolution: float = 0.0

    @property
    def recorded(self) -> int:
        """How many iterations the document carries (may be fewer than counted)."""
        return len(self.starts)


def _sorted_columns(
    rows: Iterable[tuple[float, float, bool, float | None]],
) -> tuple[list[float], list[float], list[bool], list[float] | None]:
    ordered = sorted(rows, key=lambda r: r[0])
    if not ordered:
        return [], [], [], None
    origin = ordered[0][0]
    has_scheduled = ordered[0][3] is not None
    starts = [r[0] - origin for r in ordered]
    durations = [r[1] for r in ordered]
    failed = [r[2] for r in ordered]
    scheduled = [(r[3] or 0.0) - origin for r in ordered] if has_scheduled else None
    return starts, durations, failed, scheduled


def _percent(text: Any) -> float | None:
    if text is None or text == "n/a":
        return None
    if isinstance(text, int | float):
        return float(text)
    return float(str(text).rstrip("%"))


def _opt_float(value: Any) -> float | None:
    return None if value is None or value == "n/a" else float(value)


# --- Rally JSON report, format 1.2 ---------------------------------------------------


def _rally_summary(workload: Mapping[str, Any]) -> SummaryRow | None:
    total = workload.get("statistics", {}).get("durations", {}).get("total")
    if not total:
        return None
    data = total["data"]
    return SummaryRow(
        count=int(data["iteration_count"]),
        min=_opt_float(data.get("min")),
        median=_opt_float(data.get("median")),
        p90=_opt_float(data.get("90%ile")),
        p95=_opt_float(data.get("95%ile")),
        p99=_opt_float(data.get("99%ile")),
        max=_opt_float(data.get("max")),
        avg=_opt_float(data.get("avg")),
        success_percent=_percent(data.get("success")),
    )


def _rally_workload(workload: Mapping[str, Any], tool: str) -> WorkloadRun:
    rows = (
        (float(it["timestamp"]), float(it["duration"]), bool(it["error"]), None)
        for it in workload["data"]
    )
    starts, durations, failed, _ = _sorted_columns(rows)
    (scenario,) = workload["scenario"]
    return WorkloadRun(
        tool=tool,
        scenario=scenario,
        runner=dict(workload["runner"]),
        load_duration=float(workload["load_duration"]),
        full_duration=float(workload["full_duration"]),
        iteration_count=int(workload["total_iteration_count"]),
        failed_count=int(workload["failed_iteration_count"]),
        starts=starts,
        durations=durations,
        failed=failed,
        summary=_rally_summary(workload),
    )


def parse_rally_report(doc: Mapping[str, Any], tool: str = "rally") -> list[WorkloadRun]:
    """Every workload of every task in a Rally JSON report, in task order.

    ``tool`` names who produced it: Rally itself, or squall's ``rally-json`` exporter.
    """
    version = doc.get("info", {}).get("format_version")
    if version != RALLY_FORMAT:
        raise ResultsFormatError(f"expected Rally JSON format {RALLY_FORMAT}, got {version!r}")
    return [
        _rally_workload(workload, tool)
        for task in doc["tasks"]
        for subtask in task["subtasks"]
        for workload in subtask["workloads"]
    ]


# --- squall's own JSON export, schemas squall.run/2 and squall.run/1 -----------------


def _squall_summary(stats: Iterable[Mapping[str, Any]]) -> SummaryRow | None:
    for row in stats:
        if row.get("name") == "total":
            return SummaryRow(
                count=int(row["count"]),
                min=_opt_float(row.get("min")),
                median=_opt_float(row.get("median")),
                p90=_opt_float(row.get("p90")),
                p95=_opt_float(row.get("p95")),
                p99=_opt_float(row.get("p99")),
                max=_opt_float(row.get("max")),
                avg=_opt_float(row.get("avg")),
                success_percent=_opt_float(row.get("success")),
            )
    return None


def _squall_rows_v1(workload: Mapping[str, Any]) -> Iterator[tuple[float, float, bool, float]]:
    for it in workload.get("iterations", []):
        yield (
            float(it["start_offset"]),
            float(it["duration"]),
            it.get("error") is not None,
            float(it["scheduled_offset"]),
        )


def _squall_rows_v2(workload: Mapping[str, Any]) -> Iterator[tuple[float, float, bool, float]]:
    """Rows are arrays; their columns are found by name in ``iteration_fields``."""
    if "iterations" not in workload:
        return
    fields = list(workload["iteration_fields"])
    start, duration, error, scheduled = (
        fields.index(name) for name in ("start_offset", "duration", "error", "scheduled_offset")
    )
    for row in workload["iterations"]:
        yield float(row[start]), float(row[duration]), row[error] is not None, float(row[scheduled])


def _squall_workload(workload: Mapping[str, Any], schema: str) -> WorkloadRun:
    summary = workload.get("summary") or {}
    rows = _squall_rows_v1(workload) if schema == "squall.run/1" else _squall_rows_v2(workload)
    starts, durations, failed, scheduled = _sorted_columns(rows)
    config = workload.get("config", {})
    runner = config.get("runner") or {}
    return WorkloadRun(
        tool="squall",
        scenario=str(summary.get("scenario") or _plugin_name(config.get("scenario"))),
        runner={_plugin_name(runner): runner.get("args", {})} if runner else {},
        load_duration=float(summary.get("load_duration", 0.0)),
        full_duration=float(summary.get("full_duration", 0.0)),
        iteration_count=int(summary.get("total_iteration_count", len(starts))),
        failed_count=int(summary.get("failed_iteration_count", sum(failed))),
        starts=starts,
        durations=durations,
        failed=failed,
        summary=_squall_summary(summary.get("stats", [])),
        scheduled=scheduled,
        extra={
            k: summary[k]
            for k in ("achieved_rate", "target_rate", "max_start_lag")
            if summary.get(k) is not None
        },
        time_resolution=SQUALL_SCHEMAS[schema],
    )


def _plugin_name(ref: Any) -> str:
    if isinstance(ref, Mapping):
        if "name" in ref:
            return str(ref["name"])
        if len(ref) == 1:
            return str(next(iter(ref)))
    return str(ref)


def parse_squall_export(doc: Mapping[str, Any]) -> list[WorkloadRun]:
    """Every workload of every run in a squall export, in run order."""
    schema = doc.get("schema")
    if schema not in SQUALL_SCHEMAS:
        known = " or ".join(SQUALL_SCHEMAS)
        raise ResultsFormatError(f"expected squall export {known}, got {schema!r}")
    return [
        _squall_workload(workload, schema) for run in doc["runs"] for workload in run["workloads"]
    ]


def parse_any(doc: Mapping[str, Any], tool: str) -> list[WorkloadRun]:
    """Parse either format, recognised by its own version marker."""
    if "schema" in doc:
        return parse_squall_export(doc)
    return parse_rally_report(doc, tool=tool)
