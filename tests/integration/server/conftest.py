"""A server application on a SQLite store holding runs made by the real engine."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from squall.api import tasks as tasks_api
from squall.plugins.loader import load_registry
from squall.server.app import create_app
from squall.server.metrics import ObservedStore
from squall.server.settings import ServerSettings

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "samples" / "tasks" / "native"
ARTIFACTS = ROOT / "artifacts"
TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CANARY = "canary-Secret-4b1d"


def run_sample(store: ObservedStore, name: str, task_args: str | None = None) -> str:
    registry = load_registry([])
    task = tasks_api.validate(tasks_api.TaskInput(str(SAMPLES / name), task_args), registry)
    return tasks_api.start(task, store, registry).run_id


@pytest.fixture(scope="module")
def stored(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ObservedStore, dict[str, str]]]:
    path = tmp_path_factory.mktemp("server") / "squall.db"
    store = ObservedStore.open(f"sqlite:///{path}")
    assert isinstance(store, ObservedStore)
    runs = {
        "a": run_sample(store, "dummy-constant.yaml", "times=200,concurrency=10,sleep=0.01"),
        "b": run_sample(store, "dummy-constant.yaml", "times=200,concurrency=10,sleep=0.012"),
        "failures": run_sample(store, "dummy-failures.yaml"),
    }
    try:
        yield store, runs
    finally:
        store.close()


@pytest.fixture(scope="module")
def app(stored) -> FastAPI:
    store, _ = stored
    return create_app(ServerSettings(token=TOKEN), store=store, registry=load_registry([]))


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """``app`` served by a real uvicorn on 127.0.0.1 (a free port); yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
