"""Comparisons and trends of stored runs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status

from squall.api import compare as compare_api
from squall.errors import ConfigError, StoreError
from squall.results.records import RunRecord
from squall.server.deps import StoreDep
from squall.server.schemas import (
    NOT_FOUND,
    ChangeOut,
    CompareOut,
    SeriesCompareOut,
    TrendOut,
    TrendPointOut,
    TrendsOut,
    WorkloadCompareOut,
)
from squall.stats.compare import CompareOptions

router = APIRouter(prefix="/api/v1", tags=["analysis"])
Ref = Annotated[str, Query(min_length=1, max_length=64)]


def _find(store: StoreDep, ref: str) -> RunRecord | dict[str, Any]:
    """The task or data-plane run ``ref``, or 404."""
    try:
        return compare_api.find_any(store, ref)
    except StoreError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=exc.message) from exc


@router.get(
    "/compare",
    summary="Compare two task runs (per workload) or two data-plane runs (per test)",
    responses=NOT_FOUND,
)
def compare(
    store: StoreDep,
    before: Ref,
    after: Ref,
    threshold: Annotated[float, Query(gt=0, le=1000)] = 5.0,
    failure_threshold: Annotated[float, Query(gt=0, le=100)] = 1.0,
    alpha: Annotated[float, Query(gt=0, lt=0.5)] = 0.05,
) -> CompareOut:
    options = CompareOptions(alpha=alpha, threshold=threshold / 100,
                             failure_threshold=failure_threshold)  # fmt: skip
    first, second = _find(store, before), _find(store, after)
    result = compare_api.compare_found(store, first, second, options)
    return CompareOut(
        kind="task" if isinstance(result, compare_api.RunComparison) else "dataplane",
        before=result.before.id,
        after=result.after.id,
        verdict=str(result.verdict),
        unmatched=result.unmatched,
        workloads=[
            WorkloadCompareOut(
                label=w.label,
                verdict=str(w.verdict),
                throughput=ChangeOut.of(w.throughput),
                failure_rate=ChangeOut.of(w.failure_rate),
                series=[
                    SeriesCompareOut(name=s.name, changes=[ChangeOut.of(c) for c in s.changes])
                    for s in w.series
                ],
            )
            for w in result.workloads
        ],
    )


@router.get(
    "/trends",
    summary="A tag's runs (per workload) or a data-plane plan's runs (per test) over time",
)
def trends(
    store: StoreDep,
    tag: Annotated[str | None, Query(min_length=1, max_length=255)] = None,
    plan: Annotated[
        str | None, Query(min_length=1, max_length=255, description="A data-plane plan's title")
    ] = None,
) -> TrendsOut:
    if (tag is None) == (plan is None):
        raise ConfigError("give tag (task runs) or plan (data-plane runs), not both or none")
    result = compare_api.trends(store, tag) if tag else compare_api.plan_trends(store, plan or "")
    return TrendsOut(
        tag=result.tag,
        runs=[r.id for r in result.runs],
        workloads=[
            TrendOut(
                label=t.label,
                points=[
                    TrendPointOut(
                        run_id=p.run_id,
                        created_at=p.created_at,
                        p50=p.p50,
                        p95=p.p95,
                        p99=p.p99,
                        throughput=p.throughput,
                        failure_rate=p.failure_rate,
                        versus_previous=str(p.versus_previous) if p.versus_previous else None,
                    )
                    for p in t.points
                ],
            )
            for t in result.workloads
        ],
    )
