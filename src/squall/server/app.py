"""The FastAPI application: routes, token, errors as JSON, the store and the run manager."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import JSONResponse

import squall
from squall.errors import SquallError, TaskError
from squall.plugins.loader import load_registry
from squall.plugins.registry import Registry
from squall.server.auth import require_token
from squall.server.dataplane_live import DataplaneManager
from squall.server.live import RunManager
from squall.server.metrics import Metrics, ObservedStore
from squall.server.routes import analysis, cleanup, dataplane, metrics, plugins, runs, tasks, ui
from squall.server.schemas import ERRORS
from squall.server.settings import ServerSettings

DESCRIPTION = """squall's REST API: start, validate and abort control-plane tasks and data-plane
runs, read results, reports, exports, comparisons and trends, follow a run live (server-sent
events), list plugins, clean up. Every route needs `Authorization: Bearer TOKEN`."""


def create_app(
    settings: ServerSettings,
    *,
    store: ObservedStore | None = None,
    registry: Registry | None = None,
) -> FastAPI:
    """The application; ``store`` and ``registry`` are opened from ``settings`` if not given."""
    opened = store or _open(settings)
    plugin_registry = registry or load_registry(settings.plugin_paths)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.manager.join(timeout=5)
        app.state.dataplane.abort_all()  # what they staged is removed before the store closes
        app.state.dataplane.join(timeout=60)
        if store is None:
            opened.close()

    app = FastAPI(
        title="squall",
        version=squall.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(require_token)],
        responses=ERRORS,
        openapi_url=None,  # served by _schema_route, behind the token
        docs_url=None,  # Swagger UI loads from a CDN: not here
        redoc_url=None,
    )
    manager = RunManager(opened, plugin_registry)
    app.state.settings = settings
    app.state.store = opened
    app.state.registry = plugin_registry
    app.state.manager = manager
    app.state.dataplane = DataplaneManager(opened, settings.dataplane_workdir)
    app.state.metrics = Metrics(manager, app.state.dataplane)
    opened.metrics = app.state.metrics
    app.include_router(runs.router)
    app.include_router(runs.export_router(plugin_registry))
    for module in (tasks, dataplane, analysis, plugins, cleanup, metrics):
        app.include_router(module.router)
    app.include_router(ui.router)
    _schema_route(app)
    _public_login(app)
    _errors(app)
    return app


def _open(settings: ServerSettings) -> ObservedStore:
    opened = ObservedStore.open(settings.db_url)
    assert isinstance(opened, ObservedStore)  # Store.open builds cls
    return opened


def _schema_route(app: FastAPI) -> None:
    """The OpenAPI schema, behind the token like everything else."""

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())


def _public_login(app: FastAPI) -> None:
    """``/ui/login`` checks the token itself (it arrives as a query parameter)."""
    for route in ui.public.routes:
        app.router.routes.append(route)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(SquallError)
    async def squall_error(request: Request, exc: SquallError) -> JSONResponse:
        status = 400  # the message says why; a missing run is answered 404 by its route
        problems = [str(p) for p in exc.problems] if isinstance(exc, TaskError) else []
        body = {"error": exc.message, "hint": exc.hint, "problems": problems}
        return JSONResponse(body, status_code=status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail, "hint": None, "problems": []},
                            status_code=exc.status_code, headers=exc.headers)  # fmt: skip
