"""The OpenAPI schema exercised with schemathesis: no server error, answers match the schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import positive_data_acceptance

from squall.dataplane.store import DataplaneStore
from squall.plugins.loader import load_registry
from squall.reports.exporters import BUILTIN as EXPORTERS
from squall.server.app import create_app
from squall.server.metrics import ObservedStore
from squall.server.settings import ServerSettings
from squall.testing.dataplane_runs import SyntheticTest, synthetic_run
from squall.testing.plugins import RunIdsExporter, add_exporter

from .conftest import AUTH, TOKEN, run_sample

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """An app of its own: the fuzzer may delete or abort whatever it finds."""
    path = tmp_path_factory.mktemp("fuzz") / "squall.db"
    store = ObservedStore.open(f"sqlite:///{path}")
    assert isinstance(store, ObservedStore)
    run_sample(store, "dummy-constant.yaml", "times=50,concurrency=5,sleep=0")
    app = create_app(ServerSettings(token=TOKEN), store=store, registry=load_registry([]))
    try:
        yield app
    finally:
        app.state.manager.join(timeout=30)
        store.close()


def test_the_schema_is_openapi_3(fuzzed_app):
    with TestClient(fuzzed_app) as client:
        schema = client.get("/openapi.json", headers=AUTH).json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert len(schema["paths"]) >= 14


def test_every_operation_under_fuzzing(fuzzed_app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app, headers=AUTH)
    operations = 0
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        strategy = operation.as_strategy()
        from hypothesis import HealthCheck, given, settings

        @settings(max_examples=15, deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=strategy)
        def check(case) -> None:
            # a task text or a tag can fit the schema and still be refused (400, with why)
            case.call_and_validate(headers=AUTH, excluded_checks=[positive_data_acceptance])

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # gather every failure, report all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert operations >= 14
    assert not failures, "\n\n".join(failures)


@pytest.fixture(scope="module")
def exported_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str, str]]:
    """An app with one task run and one data-plane run, both left alone."""
    store = ObservedStore.open(f"sqlite:///{tmp_path_factory.mktemp('exports') / 'squall.db'}")
    assert isinstance(store, ObservedStore)
    task_run = run_sample(store, "dummy-constant.yaml", "times=20,concurrency=2,sleep=0")
    dataplane_run = "ab" * 16
    DataplaneStore(store).save(synthetic_run(dataplane_run, [SyntheticTest()], seed=1))
    app = create_app(ServerSettings(token=TOKEN), store=store, registry=load_registry([]))
    try:
        yield app, task_run, dataplane_run
    finally:
        app.state.manager.join(timeout=30)
        store.close()


def test_every_export_type_is_sent_as_the_schema_says(exported_app):
    """Each built-in exporter's media type is one the schema documents."""
    app, task_run, dataplane_run = exported_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=AUTH)
    exports = schema["/api/v1/runs/{ref}/export"]["GET"]
    for kind in EXPORTERS:
        case = exports.Case(path_parameters={"ref": task_run[:8]}, query={"type": kind})
        response = case.call_and_validate(headers=AUTH)
        assert response.status_code == 200, kind
    dataplane = schema["/api/v1/dataplane/runs/{ref}/export"]["GET"]
    case = dataplane.Case(path_parameters={"ref": dataplane_run[:8]})
    response = case.call_and_validate(headers=AUTH)
    assert response.status_code == 200


def export_answers(app) -> dict:
    with TestClient(app) as client:
        schema = client.get("/openapi.json", headers=AUTH).json()
    return schema["paths"]["/api/v1/runs/{ref}/export"]["get"]


@pytest.fixture(scope="module")
def plugin_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str]]:
    """An app whose registry holds a plugin exporter beside the built-ins."""
    store = ObservedStore.open(f"sqlite:///{tmp_path_factory.mktemp('plugin') / 'squall.db'}")
    assert isinstance(store, ObservedStore)
    task_run = run_sample(store, "dummy-constant.yaml", "times=5,concurrency=1,sleep=0")
    registry = add_exporter(load_registry([]))
    app = create_app(ServerSettings(token=TOKEN), store=store, registry=registry)
    try:
        yield app, task_run
    finally:
        app.state.manager.join(timeout=30)
        store.close()


def test_a_plugin_exporters_media_type_is_in_the_schema(plugin_app, exported_app):
    app, _ = plugin_app
    answers = export_answers(app)
    assert RunIdsExporter.media_type in answers["responses"]["200"]["content"]
    assert "application/xml" in answers["responses"]["200"]["content"]
    assert "test-run-ids" in answers["summary"]
    without = export_answers(exported_app[0])  # the schema is the app's, not a global table
    assert RunIdsExporter.media_type not in without["responses"]["200"]["content"]
    assert "test-run-ids" not in without["summary"]


def test_a_plugin_export_is_sent_as_its_media_type_the_schema_names(plugin_app):
    app, task_run = plugin_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=AUTH)
    exports = schema["/api/v1/runs/{ref}/export"]["GET"]
    case = exports.Case(path_parameters={"ref": task_run[:8]}, query={"type": "test-run-ids"})
    response = case.call_and_validate(headers=AUTH)
    assert response.status_code == 200
    assert response.headers["content-type"] == [RunIdsExporter.media_type]
    assert response.text == f"{task_run} finished\n"
    assert response.headers["content-disposition"] == [
        f'attachment; filename="squall-{task_run[:8]}.ids"'
    ]
