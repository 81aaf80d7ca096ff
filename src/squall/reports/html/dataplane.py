"""Stored data-plane runs (``squall.dataplane.run/1`` documents), ready to draw.

Per test repetition: throughput and latency percentiles per report interval (when a
test has more than ``MAX_POINTS`` intervals, neighbours are merged: counters summed,
HdrHistograms merged losslessly), the source x destination matrix of the tool's
headline figure (at most ``MAX_HOSTS`` hosts a side), and every host's headline per
pair against the median host, flagged as the run flagged it. Tests of several runs
are matched by name and repetition and overlaid.
"""

from __future__ import annotations

import contextlib
import statistics
from collections.abc import Sequence
from typing import Any

from squall.reports.html.model import (
    DataplaneGroup,
    DataplaneRunView,
    DataplaneTestView,
    HostRow,
)
from squall.reports.redact import redact_text
from squall.stats.histogram import Histogram

MAX_POINTS = 240
MAX_HOSTS = 100
MAX_FAILED_PAIRS = 20
RATE_SUFFIXES = ("_per_second", "_iops")
PERCENTILES = ("50", "99")


def collect_dataplane(
    runs: Sequence[dict[str, Any]], first_index: int = 0
) -> tuple[list[DataplaneRunView], list[DataplaneGroup]]:
    """Views of ``runs``; their colours follow the task runs' (``first_index`` on)."""
    run_views = []
    groups: dict[str, DataplaneGroup] = {}
    for offset, run in enumerate(runs):
        index = first_index + offset
        label = _label(run, len(runs) + first_index)
        run_views.append(
            DataplaneRunView(index, label, {k: v for k, v in run.items() if k != "tests"})
        )
        for test in run.get("tests", []):
            key = f"{test['test']}#{test['repetition'] + 1}"
            group = groups.get(key)
            if group is None:
                title = f"{test['test']} ({test['tool']}) #{test['repetition'] + 1}"
                group = groups[key] = DataplaneGroup(key, title, [])
            group.views.append(repetition_view(index, label, test))
    return run_views, list(groups.values())


def repetition_view(run_index: int, run_label: str, test: dict[str, Any]) -> DataplaneTestView:
    intervals = merge_neighbours(test.get("intervals") or [], MAX_POINTS)
    matrix = test.get("matrix")
    metric = throughput_metric(intervals, matrix["metric"] if matrix else "")
    latency: dict[str, list[float | None]] = {}
    for name in sorted({h for i in intervals for h in i["histograms"]}):
        for p in PERCENTILES:
            latency[f"{name} p{p}"] = [_percentile(i, name, p) for i in intervals]
        latency[f"{name} max"] = [_max(i, name) for i in intervals]
    return DataplaneTestView(
        run_index=run_index,
        run_label=run_label,
        test=test["test"],
        tool=test["tool"],
        repetition=test["repetition"],
        partial=bool(test.get("partial")),
        failed_agents=list(test.get("failed_agents") or []),
        pairs=len(test.get("pairs") or []),
        counters=dict(test.get("counters") or {}),
        metric=metric,
        time=[round(float(i["end"]), 3) for i in intervals],
        throughput=[rate(i, metric) for i in intervals] if metric else [],
        latency=latency,
        percentiles={
            name: dict(h.get("percentiles") or {})
            for name, h in (test.get("histograms") or {}).items()
        },
        matrix=capped_matrix(matrix),
        hosts=host_rows(test, matrix["metric"] if matrix else ""),
        failed_pairs=[
            (p["client"], p["server"], p["status"], redact_text(str(p.get("error") or "")))
            for p in test.get("pairs") or []
            if p["status"] != "ok"
        ][:MAX_FAILED_PAIRS],
    )


def throughput_metric(intervals: Sequence[dict[str, Any]], headline: str) -> str:
    """The counter drawn as throughput: the tool's headline if the intervals carry it,
    else the first rate they carry, else the first counter."""
    names: list[str] = []
    for item in intervals:
        names += [n for n in item["counters"] if n not in names]
    if headline in names:
        return headline
    rates = [n for n in names if n.endswith(RATE_SUFFIXES)]
    return (rates or names or [""])[0]


def rate(interval: dict[str, Any], metric: str) -> float | None:
    """``metric`` per second in ``interval`` (rates as they are, counts over the width)."""
    value = interval["counters"].get(metric)
    if value is None:
        return None
    if metric.endswith(RATE_SUFFIXES):
        return float(value)
    width = float(interval["end"]) - float(interval["start"])
    return float(value) / width if width > 0 else None


def unit(metric: str) -> str:
    if metric.endswith("_per_second"):
        return metric.removesuffix("_per_second") + "/s"
    if metric.endswith("_iops"):
        return metric.removesuffix("_iops") + " IOPS"
    return f"{metric}/s"


def merge_neighbours(intervals: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """At most ``limit`` intervals: runs of neighbours merged (rates width-weighted)."""
    if len(intervals) <= limit:
        return intervals
    size = -(-len(intervals) // limit)
    return [_merge(intervals[i : i + size]) for i in range(0, len(intervals), size)]


def _merge(items: list[dict[str, Any]]) -> dict[str, Any]:
    start = min(float(i["start"]) for i in items)
    end = max(float(i["end"]) for i in items)
    counters: dict[str, float] = {}
    for item in items:
        width = float(item["end"]) - float(item["start"])
        for name, value in item["counters"].items():
            weight = width if name.endswith(RATE_SUFFIXES) else 1.0
            counters[name] = counters.get(name, 0.0) + float(value) * weight
    for name in counters:
        if name.endswith(RATE_SUFFIXES) and end > start:
            counters[name] /= end - start
    hists: dict[str, Histogram] = {}
    for item in items:
        for name, data in item["histograms"].items():
            if data.get("encoded"):
                with contextlib.suppress(ValueError):  # a damaged blob: the totals still show
                    hists.setdefault(name, Histogram()).merge_encoded(data["encoded"])
    return {
        "start": start,
        "end": end,
        "counters": counters,
        "histograms": {name: _summary(h) for name, h in hists.items()},
    }


def _summary(hist: Histogram) -> dict[str, Any]:
    if not hist.count:
        return {"count": 0}
    return {
        "count": hist.count,
        "max": hist.max,
        "percentiles": {p: hist.value_at(float(p)) for p in PERCENTILES},
    }


def _percentile(interval: dict[str, Any], name: str, p: str) -> float | None:
    data = interval["histograms"].get(name) or {}
    value = (data.get("percentiles") or {}).get(p)
    return None if value is None else float(value)


def _max(interval: dict[str, Any], name: str) -> float | None:
    value = (interval["histograms"].get(name) or {}).get("max")
    return None if value is None else float(value)


def capped_matrix(matrix: dict[str, Any] | None) -> dict[str, Any] | None:
    """The matrix, cut to ``MAX_HOSTS`` sources and destinations (the note says so)."""
    if not matrix or not matrix.get("sources") or not matrix.get("destinations"):
        return None
    sources, destinations = matrix["sources"], matrix["destinations"]
    return {
        "metric": matrix["metric"],
        "sources": sources[:MAX_HOSTS],
        "destinations": destinations[:MAX_HOSTS],
        "values": [row[:MAX_HOSTS] for row in matrix["values"][:MAX_HOSTS]],
        "total": (len(sources), len(destinations)),
    }


def host_rows(test: dict[str, Any], metric: str) -> list[HostRow]:
    """Every host per role, worst first: failed pairs, then lowest ratio to the median."""
    flagged = set(test.get("bad_hosts") or [])
    rows: list[HostRow] = []
    for role, table in (("source", test.get("sources")), ("destination", test.get("destinations"))):
        per_pair = {
            host: float(f["counters"].get(metric, 0.0)) / (f["pairs"] - f["failed"])
            for host, f in (table or {}).items()
            if metric and f["pairs"] > f["failed"]
        }
        median = statistics.median(per_pair.values()) if per_pair else None
        for host, f in (table or {}).items():
            value = per_pair.get(host)
            ratio = value / median if value is not None and median else None
            rows.append(HostRow(role, host, f["pairs"], f["failed"], value, ratio, host in flagged))
    return sorted(
        rows, key=lambda r: (not r.flagged, -r.failed, r.ratio if r.ratio is not None else 0.0)
    )


def _label(run: dict[str, Any], count: int) -> str:
    short = str(run["run"])[:8]
    return short if count > 1 else f"{short} {run.get('title', '')}".strip()
