"""Stored runs: list, show, delete, abort, progress (JSON and SSE), report, export.

The export route is built with the app (``export_router``): its schema names the media
types of the exporters that app's registry holds.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from squall.api import exports as exports_api
from squall.api import reports as reports_api
from squall.api import tasks as tasks_api
from squall.plugins.registry import Registry
from squall.results.records import RunStatus
from squall.server import events
from squall.server.deps import ManagerDep, RegistryDep, RunRef, SettingsDep, StoreDep, find_run
from squall.server.schemas import EXPORT_FAILED, NOT_FOUND, ProgressOut, RunBrief, RunOut
from squall.server.spool import spooled_response

router = APIRouter(prefix="/api/v1/runs", tags=["runs"])
HTML = "text/html; charset=utf-8"


@router.get("", summary="List stored runs, newest first")
def list_runs(
    store: StoreDep,
    tag: Annotated[str | None, Query(max_length=255)] = None,
    status: RunStatus | None = None,
) -> list[RunBrief]:
    return [RunBrief.of(r) for r in tasks_api.list_runs(store, tag=tag, status=status)]


@router.get("/{ref}", summary="One run with its workloads' results", responses=NOT_FOUND)
def show_run(store: StoreDep, ref: RunRef) -> RunOut:
    return RunOut.of(find_run(store, ref))


@router.delete("/{ref}", summary="Delete a finished run and its results", responses=NOT_FOUND)
def delete_run(store: StoreDep, ref: RunRef) -> RunBrief:
    record = find_run(store, ref)
    tasks_api.delete(store, record.id)
    return RunBrief.of(record)


@router.post("/{ref}/abort", summary="Ask a running task to stop softly", responses=NOT_FOUND)
def abort_run(store: StoreDep, ref: RunRef) -> RunBrief:
    record = find_run(store, ref)
    tasks_api.abort(store, record.id)
    return RunBrief.of(store.get_run(record.id))


@router.get("/{ref}/progress", summary="Live progress of a run", responses=NOT_FOUND)
def progress(store: StoreDep, manager: ManagerDep, ref: RunRef) -> ProgressOut:
    return events.progress_of(store, manager, find_run(store, ref).id)


@router.get(
    "/{ref}/events",
    summary="Live progress as server-sent events (progress ..., end)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **NOT_FOUND},
)
def progress_events(
    store: StoreDep, manager: ManagerDep, settings: SettingsDep, ref: RunRef
) -> StreamingResponse:
    run_id = find_run(store, ref).id
    body = events.stream(store, manager, run_id, settings.progress_interval)
    return StreamingResponse(body, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache"})  # fmt: skip


@router.get(
    "/{ref}/report",
    summary="The offline HTML report of a run",
    response_class=HTMLResponse,
    responses={**NOT_FOUND, **EXPORT_FAILED},
)
async def report(request: Request, store: StoreDep, ref: RunRef) -> Response:
    """Sent once whole, like an export (a failure is an error status, not a cut page)."""
    run_id = (await asyncio.to_thread(find_run, store, ref)).id
    write = partial(reports_api.write_html, store, [run_id])
    return await spooled_response(write, request, HTML, "report")


def export_router(registry: Registry) -> APIRouter:
    """``GET /{ref}/export``, its answers documented with the media types of the
    exporters ``registry`` holds (built-in and plugin), as the app is created."""
    kinds = exports_api.media_types(registry)
    exports = APIRouter(prefix=router.prefix, tags=["runs"])
    exports.add_api_route(
        "/{ref}/export",
        export,
        methods=["GET"],
        summary=f"A run exported for other tools ({', '.join(kinds)})",
        response_class=Response,
        responses={
            200: {
                "description": "The export as a download named squall-<run8>.<suffix>",
                "content": {media_type: {} for media_type in sorted(set(kinds.values()))},
            },
            **NOT_FOUND,
            **EXPORT_FAILED,
        },
    )
    return exports


async def export(
    request: Request,
    store: StoreDep,
    registry: RegistryDep,
    ref: RunRef,
    type: Annotated[str, Query(max_length=64)] = "json",
    option: Annotated[
        list[str] | None,
        Query(
            max_length=256,
            description="An exporter option KEY=VALUE, repeatable (e.g. schema=1 for "
            "squall.run/1); `squall plugins show TYPE` lists them",
        ),
    ] = None,
) -> Response:
    """Sent once it is whole (a complete file or an error status), spooled to disk when
    large: a large run is never held whole in memory."""
    run_id = (await asyncio.to_thread(find_run, store, ref)).id
    exporter = exports_api.exporter(type, exports_api.parse_options(option or []), registry)
    runs = await asyncio.to_thread(exports_api.run_data, store, [run_id])
    name = exports_api.download_name(run_id, exporter.suffix)
    write = partial(exporter.export, runs)
    return await spooled_response(write, request, exporter.media_type, filename=name)
