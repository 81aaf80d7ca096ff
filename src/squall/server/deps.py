"""What routes are given: the store, the run manager, the registry, a run by reference."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status

from squall.errors import StoreError
from squall.plugins.registry import Registry
from squall.results.records import RunRecord
from squall.results.store import Store
from squall.server.live import RunManager
from squall.server.metrics import Metrics
from squall.server.settings import ServerSettings


def store(request: Request) -> Store:
    found: Store = request.app.state.store
    return found


def manager(request: Request) -> RunManager:
    found: RunManager = request.app.state.manager
    return found


def registry(request: Request) -> Registry:
    found: Registry = request.app.state.registry
    return found


def metrics(request: Request) -> Metrics:
    found: Metrics = request.app.state.metrics
    return found


def settings(request: Request) -> ServerSettings:
    found: ServerSettings = request.app.state.settings
    return found


StoreDep = Annotated[Store, Depends(store)]
ManagerDep = Annotated[RunManager, Depends(manager)]
RegistryDep = Annotated[Registry, Depends(registry)]
MetricsDep = Annotated[Metrics, Depends(metrics)]
SettingsDep = Annotated[ServerSettings, Depends(settings)]
RunRef = Annotated[
    str, Path(description="A run id, a unique prefix of it (4+ characters), or 'last'.")
]


def find_run(store: Store, ref: str) -> RunRecord:
    """The run ``ref``, or 404 with the store's explanation."""
    try:
        return store.get_run(ref)
    except StoreError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=exc.message) from exc
