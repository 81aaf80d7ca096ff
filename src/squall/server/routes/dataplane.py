"""Data-plane runs: validate and start a plan, list, show, abort, follow, report."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from squall.api import dataplane_export
from squall.api import reports as reports_api
from squall.api.exports import download_name
from squall.dataplane import topology as topo_mod
from squall.dataplane.loader import load_plan_text
from squall.dataplane.plan import Plan
from squall.dataplane.store import DataplaneStore
from squall.errors import ConfigError, StoreError
from squall.server.dataplane_live import DataplaneManager
from squall.server.dataplane_schemas import (
    DataplaneProgressOut,
    DataplaneRunBrief,
    DataplaneRunOut,
    DataplaneStartOut,
    PlanIn,
    PlanValidOut,
)
from squall.server.deps import RunRef, SettingsDep, StoreDep
from squall.server.schemas import EXPORT_FAILED, error_response
from squall.server.spool import spooled_response
from squall.task.template import parse_task_args, render

router = APIRouter(prefix="/api/v1/dataplane", tags=["dataplane"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: error_response("No such data-plane run")}
PLAN_NAME = "plan.yaml"
MAX_EVENTS = 100_000


def manager(request: Request) -> DataplaneManager:
    found: DataplaneManager = request.app.state.dataplane
    return found


DataplaneDep = Annotated[DataplaneManager, Depends(manager)]


def find_dataplane_id(store: StoreDep, ref: RunRef) -> str:
    """The id of the stored run ``ref`` (its tests not read), or 404."""
    try:
        return dataplane_export.resolve(store, ref)
    except StoreError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=exc.message) from exc


def find_dataplane_run(store: StoreDep, ref: RunRef) -> dict[str, Any]:
    """The stored run ``ref`` (id, unique prefix of 4+ hex characters, or 'last') with its
    tests, or 404."""
    run_id = find_dataplane_id(store, ref)
    try:
        return DataplaneStore(store).get(run_id)
    except StoreError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=exc.message) from exc


StoredRun = Annotated[dict[str, Any], Depends(find_dataplane_run)]


RunId = Annotated[str, Depends(find_dataplane_id)]


def plan_of(body: PlanIn) -> Plan:
    """The plan's text rendered with its arguments (no template can read server files)."""
    args = parse_task_args(body.plan_args, None, "")
    with tempfile.TemporaryDirectory(prefix="squall-plan-") as empty:
        text = render(body.plan, Path(empty), args, PLAN_NAME)
    return load_plan_text(text, PLAN_NAME)


@router.post("/validate", summary="Validate a data-plane plan; every problem at once")
def validate(body: PlanIn) -> PlanValidOut:
    plan = plan_of(body)
    try:
        topo = topo_mod.build(plan)
    except topo_mod.TopologyError as exc:
        raise ConfigError(f"the plan cannot be staged: {exc}") from None
    return PlanValidOut(
        title=plan.title,
        provider=plan.provider,
        network_mode=plan.network_mode,
        servers=len(topo.servers),
        clients=len(topo.clients),
        routers=len(topo.routers),
        networks=len(topo.networks),
        tests=[t.name for t in plan.tests],
    )


@router.post(
    "/runs",
    summary="Start a data-plane plan; it runs in the background (follow /runs/{id}/events)",
    status_code=status.HTTP_202_ACCEPTED,
)
def start(body: PlanIn, runs: DataplaneDep) -> DataplaneStartOut:
    live = runs.start(plan_of(body))
    return DataplaneStartOut(run_id=live.run_id, title=live.title)


@router.get("/runs", summary="List stored data-plane runs, newest first")
def list_runs(store: StoreDep, runs: DataplaneDep) -> list[DataplaneRunBrief]:
    stored = DataplaneStore(store).runs()
    return [DataplaneRunBrief.of(r, runs.get(r["run"])) for r in reversed(stored)]


@router.get(
    "/runs/{ref}", summary="One data-plane run with its tests' figures", responses=NOT_FOUND
)
def show_run(run: StoredRun, runs: DataplaneDep) -> DataplaneRunOut:
    return DataplaneRunOut.full(run, runs.get(run["run"]))


@router.post(
    "/runs/{ref}/abort",
    summary="Abort a data-plane run started by this server (what it staged is removed)",
    responses=NOT_FOUND,
)
def abort_run(run: StoredRun, runs: DataplaneDep) -> DataplaneProgressOut:
    runs.abort(run["run"])
    return progress_of(run, runs)


@router.get(
    "/runs/{ref}/progress", summary="Live progress of a data-plane run", responses=NOT_FOUND
)
def progress(run: StoredRun, runs: DataplaneDep) -> DataplaneProgressOut:
    return progress_of(run, runs)


@router.get(
    "/runs/{ref}/events",
    summary="Live progress as server-sent events (progress ..., end)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **NOT_FOUND},
)
def progress_events(
    store: StoreDep, run: StoredRun, runs: DataplaneDep, settings: SettingsDep
) -> StreamingResponse:
    body = _stream(store, runs, run["run"], settings.progress_interval)
    return StreamingResponse(body, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache"})  # fmt: skip


@router.get(
    "/runs/{ref}/report",
    summary="The offline HTML report of a data-plane run",
    response_class=HTMLResponse,
    responses=NOT_FOUND,
)
async def report(request: Request, store: StoreDep, run_id: RunId) -> Response:
    """Sent once whole, like an export (a failure is an error status, not a cut page)."""
    write = partial(reports_api.write_html, store, [run_id])
    return await spooled_response(write, request, "text/html; charset=utf-8", "report")


@router.get(
    "/runs/{ref}/export",
    summary="The whole stored run (squall.dataplane.run/1: encoded histograms, intervals, pairs)",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}, **NOT_FOUND, **EXPORT_FAILED},
)
async def export(request: Request, store: StoreDep, run_id: RunId) -> Response:
    """Secrets masked; sent once whole (a complete file or an error status), its tests
    read and written one at a time and spooled to disk when large."""
    write = partial(dataplane_export.write_run, store, run_id)
    name = download_name(run_id, ".json")
    return await spooled_response(write, request, "application/json", filename=name)


def progress_of(run: dict[str, Any], runs: DataplaneManager) -> DataplaneProgressOut:
    live = runs.get(run["run"])
    out = DataplaneProgressOut(
        run_id=run["run"],
        title=run["title"],
        status=run["status"],
        running_here=live is not None and not live.done,
        tests_stored=len(run["tests"]),
    )
    if live is not None:
        out.error = live.error
        out.current_test = live.current
        out.tests_started = live.started_tests
        out.log = list(live.log)[-50:]
    return out


async def _stream(
    store: Any, runs: DataplaneManager, run_id: str, interval: float
) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"
    for _ in range(MAX_EVENTS):
        run = await asyncio.to_thread(DataplaneStore(store).get, run_id)
        progress = progress_of(run, runs)
        if not progress.running_here:
            yield f"event: end\ndata: {progress.model_dump_json()}\n\n"
            return
        yield f"event: progress\ndata: {progress.model_dump_json()}\n\n"
        await asyncio.sleep(interval)
