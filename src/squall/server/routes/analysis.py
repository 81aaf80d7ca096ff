"""Comparisons and trends of stored runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from squall.api import compare as compare_api
from squall.server.deps import StoreDep, find_run
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


@router.get(
    "/compare", summary="Compare two runs: change and verdict per figure", responses=NOT_FOUND
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
    first, second = find_run(store, before).id, find_run(store, after).id
    result = compare_api.compare_runs(store, first, second, options)
    return CompareOut(
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


@router.get("/trends", summary="A tag's runs over time, per workload")
def trends(store: StoreDep, tag: Annotated[str, Query(min_length=1, max_length=255)]) -> TrendsOut:
    result = compare_api.trends(store, tag)
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
