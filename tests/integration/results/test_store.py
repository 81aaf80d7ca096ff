"""The store's contract, on a real SQLite file and on the real PostgreSQL."""

from __future__ import annotations

import math

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from squall.errors import StoreError
from squall.results import migrate
from squall.results.database import resolve_url
from squall.results.models import Base, WorkloadRow
from squall.results.records import (
    HookResult,
    RunStatus,
    StatsRow,
    TriggeredBy,
    WorkloadSummary,
)
from squall.results.store import Store
from squall.sla.base import SLAResult
from squall.testing.records import batches, make_env, make_task, workload

pytestmark = pytest.mark.integration


def summary(pass_sla: bool = True) -> WorkloadSummary:
    return WorkloadSummary(
        subtask_index=0,
        workload_index=1,
        scenario="Dummy.dummy",
        status=RunStatus.FINISHED,
        start_time=1_795_000_000.123456,
        load_duration=10.000000000000002,
        full_duration=12.5,
        total_iteration_count=100,
        failed_iteration_count=1,
        min_duration=0.1,
        max_duration=None,
        pass_sla=pass_sla,
        sla_results=[SLAResult("failure_rate", pass_sla, "Failure rate criteria 0% <= 1% <= 0%")],
        stats=[StatsRow("total", 100, 99.0, 0.1, 0.2, 0.3, 0.31, 0.4, 0.5, 0.25)],
        hook_results=[
            HookResult(
                hook_index=0,
                action="sys_call",
                trigger="event",
                description="kill it",
                status="failed",
                started_at=1.5,
                finished_at=2.25,
                triggered_by=TriggeredBy("iteration", 50),
                error={"type": "CalledProcessError", "message": "exit 1"},
                output={"additive": [], "complete": []},
            )
        ],
        contexts_results=[{"name": "users", "setup": {"started_at": 1.0, "error": None}}],
        achieved_rate=math.inf,
        target_rate=None,
        max_start_lag=float("nan"),
        quantisation={"nova.boot_server.poll": 2.0},
        histograms={"total": "HISTFAAAACl4nJNpmSzMwMDAygAGMBpEMdm/"},
    )


def _ours(obj: object, name: str | None, kind: str, reflected: bool, compare_to: object) -> bool:
    """Only the tables declared in ``models`` (other modules own their tables)."""
    table = name if kind == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in Base.metadata.tables


def test_the_migrated_schema_is_what_the_models_describe(store: Store, store_url: str) -> None:
    engine = create_engine(resolve_url(store_url))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ours})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_a_run_comes_back_as_it_was_stored(store: Store) -> None:
    task = make_task(tags=["nightly", "nova"])
    run_id = store.create_run(task, make_env(), ["nova", "ci"])
    run = store.get_run(run_id)
    assert run.id == run_id and len(run_id) == 32
    assert (run.title, run.description) == (task.title, task.description)
    assert run.tags == ["nightly", "nova", "ci"]
    assert run.status is RunStatus.INIT
    assert run.finished_at is None
    assert run.source_format == "squall"
    assert run.task == task.model_dump(mode="json")
    assert run.environment == make_env()
    assert run.workloads == []


def test_status_changes_and_finish_time(store: Store) -> None:
    run_id = store.create_run(make_task(), make_env(), [])
    store.set_run_status(run_id, RunStatus.RUNNING)
    assert store.get_run(run_id).status is RunStatus.RUNNING
    store.set_run_status(run_id, RunStatus.FINISHED, finished=True)
    run = store.get_run(run_id)
    assert run.status is RunStatus.FINISHED
    assert run.finished_at is not None and run.finished_at >= run.created_at


def test_unknown_run_ids_are_errors(store: Store) -> None:
    with pytest.raises(StoreError, match="no run"):
        store.set_run_status("0" * 32, RunStatus.RUNNING)
    with pytest.raises(StoreError, match="no run"):
        store.get_run("abcd")
    with pytest.raises(StoreError, match="not a run id") as short:
        store.get_run("abc")
    assert short.value.hint is not None and "4 characters" in short.value.hint
    with pytest.raises(StoreError, match="no runs"):
        store.get_run("last")


def test_runs_are_found_by_prefix_and_last(store: Store) -> None:
    first = store.create_run(make_task("a"), make_env(), [], run_id="abcd" + "1" * 28)
    second = store.create_run(make_task("b"), make_env(), [], run_id="abcd" + "2" * 28)
    assert store.get_run("abcd1").id == first
    assert store.get_run("ABCD2222").id == second
    assert store.get_run("last").id == second
    with pytest.raises(StoreError, match="several run ids") as ambiguous:
        store.get_run("abcd")
    assert ambiguous.value.hint is not None
    assert first in ambiguous.value.hint and second in ambiguous.value.hint


def test_list_filters_by_tag_and_status_newest_first(store: Store) -> None:
    ids = [store.create_run(make_task(str(i)), make_env(), [f"t{i % 2}"]) for i in range(5)]
    store.set_run_status(ids[0], RunStatus.FINISHED, finished=True)
    assert [r.id for r in store.list_runs()] == ids[::-1]
    assert [r.id for r in store.list_runs(tag="t0")] == [ids[4], ids[2], ids[0]]
    assert [r.id for r in store.list_runs(status=RunStatus.FINISHED)] == [ids[0]]
    assert [r.id for r in store.list_runs(limit=2)] == [ids[4], ids[3]]
    assert store.list_runs(tag="none") == []


def test_workloads_and_summaries_round_trip_exactly(store: Store) -> None:
    task = make_task(workloads=2)
    run_id = store.create_run(task, make_env(), [])
    wids = [
        store.add_workload(run_id, s, w, task.subtasks[s].title, workload)
        for s, w, workload in task.workloads()
    ]
    store.finish_workload(wids[1], summary())
    moved = store.add_workload(run_id, 0, 2, "s", task.subtasks[0].workloads[1], written_index=1)
    run = store.get_run(run_id)
    assert [w.id for w in run.workloads] == [*wids, moved]
    assert [(w.workload_index, w.written_index) for w in run.workloads] == [(0, 0), (1, 1), (2, 1)]
    assert run.workloads[0].summary is None
    assert run.workloads[0].config == task.subtasks[0].workloads[0].model_dump(mode="json")
    back = run.workloads[1].summary
    assert back is not None
    assert repr(back) == repr(summary())  # nan == nan only in repr
    assert run.pass_sla
    store.finish_workload(wids[0], summary(pass_sla=False))
    assert not store.get_run(run_id).pass_sla
    with pytest.raises(StoreError, match="no workload"):
        store.finish_workload(10**9, summary())


def test_iterations_stream_back_in_storing_order(store: Store) -> None:
    run_id = store.create_run(make_task(), make_env(), [])
    wid = store.add_workload(run_id, 0, 0, "s", make_task().subtasks[0].workloads[0])
    other = store.add_workload(run_id, 0, 1, "s", make_task().subtasks[0].workloads[1])
    items = workload(5000, concurrency=10, sleep=0.01, error_every=7)
    store.add_iterations(wid, items[:4500])  # more than one chunk in one call
    for batch in batches(items[4500:], 123):
        store.add_iterations(wid, batch)
    store.add_iterations(wid, [])
    assert list(store.iterations(wid)) == items
    assert store.iteration_count(wid) == 5000
    assert list(store.iterations(other)) == []
    assert store.iteration_count(other) == 0


def test_deleting_a_run_removes_everything_it_holds(store: Store) -> None:
    keep = store.create_run(make_task("keep"), make_env(), [])
    gone = store.create_run(make_task("gone"), make_env(), ["x"])
    for run_id in (keep, gone):
        wid = store.add_workload(run_id, 0, 0, "s", make_task().subtasks[0].workloads[0])
        store.add_iterations(wid, workload(100))
    with pytest.raises(StoreError, match="still init") as refused:
        store.delete_run(gone)
    assert refused.value.hint is not None and "abort" in refused.value.hint
    store.set_run_status(gone, RunStatus.ABORTED, finished=True)
    assert store.delete_run(gone[:6]) == gone
    info = store.info()
    assert (info.runs, info.workloads, info.chunks, info.iterations) == (1, 1, 1, 100)
    assert [r.id for r in store.list_runs()] == [keep]
    assert store.delete_run(keep, force=True) == keep


def test_abort_is_requested_through_the_store(store: Store) -> None:
    run_id = store.create_run(make_task(), make_env(), [])
    store.set_run_status(run_id, RunStatus.RUNNING)
    assert not store.abort_requested(run_id)
    assert store.request_abort(run_id[:8]) == run_id
    assert store.abort_requested(run_id)
    store.set_run_status(run_id, RunStatus.ABORTED, finished=True)
    with pytest.raises(StoreError, match="nothing to abort"):
        store.request_abort(run_id)


def test_info_describes_the_database(store: Store, store_url: str) -> None:
    info = store.info()
    assert info.revision == info.head and info.up_to_date
    assert (info.runs, info.workloads, info.iterations) == (0, 0, 0)
    assert info.size_bytes is not None and info.size_bytes > 0
    assert info.backend == make_url(store_url).get_backend_name()
    password = make_url(store_url).password
    if password:
        assert str(password) not in info.url and ":***@" in info.url


def test_opening_twice_and_upgrading_again_changes_nothing(store_url: str) -> None:
    with Store.open(store_url) as first:
        run_id = first.create_run(make_task(), make_env(), [])
    with Store.open(store_url) as second:
        assert second.upgrade() == (second.revision(), second.revision())
        assert second.get_run("last").id == run_id


def test_a_database_from_a_newer_squall_is_refused(store_url: str) -> None:
    with Store.open(store_url) as store:
        run_id = store.create_run(make_task(), make_env(), [])
    engine = create_engine(resolve_url(store_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(StoreError, match=r"9999_future.*newer squall") as refused:
        Store.open(store_url)
    assert refused.value.hint is not None and "upgrade squall" in refused.value.hint
    with engine.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [
            ("9999_future",)
        ]
        conn.execute(
            text("UPDATE alembic_version SET version_num = :head"), {"head": migrate.head()}
        )
    engine.dispose()
    with Store.open(store_url) as store:
        assert store.get_run("last").id == run_id


def test_an_unreachable_postgresql_is_explained_without_its_password() -> None:
    with pytest.raises(StoreError, match="cannot be reached") as refused:
        Store.open("postgresql://squall:hunter2@127.0.0.1:1/squall")
    assert "hunter2" not in str(refused.value)
    assert refused.value.hint is not None and "running" in refused.value.hint


@pytest.mark.postgres
def test_wrong_postgresql_credentials_are_explained(postgres_url: str) -> None:
    wrong = make_url(postgres_url).set(password="not-the-password")
    with pytest.raises(StoreError, match="refused the credentials") as refused:
        Store.open(wrong.render_as_string(hide_password=False))
    assert "not-the-password" not in str(refused.value)


def old_workload(store_url: str, run_id: str, index: int) -> int:
    """A workload row with only the columns the first schema had."""
    engine = create_engine(resolve_url(store_url))
    config = make_task().subtasks[0].workloads[0].model_dump(mode="json")
    with engine.begin() as conn:
        added = conn.execute(
            insert(WorkloadRow.__table__).values(
                run_id=run_id, subtask_index=0, workload_index=index, subtask_title="s",
                config=config, summary=None,
            )
        )  # fmt: skip
    engine.dispose()
    assert added.inserted_primary_key is not None
    return int(added.inserted_primary_key[0])


def test_upgrading_from_the_first_schema_keeps_every_run(store_url: str) -> None:
    engine = create_engine(resolve_url(store_url))
    with engine.begin() as conn:
        migrate.upgrade(conn, "0001")
    engine.dispose()
    items = workload(1500, concurrency=3)
    with Store.open(store_url, upgrade=False) as old:
        assert old.revision() == "0001"
        run_id = old.create_run(make_task(), make_env(), ["kept"])
        wid = old_workload(store_url, run_id, 3)
        old.add_iterations(wid, items)
        old.finish_workload(wid, summary())
    with Store.open(store_url) as new:
        assert new.revision() == migrate.head()
        run = new.get_run(run_id)
        assert run.tags == ["kept"]
        assert repr(run.workloads[0].summary) == repr(summary())
        assert list(new.iterations(wid)) == items
        assert run.workloads[0].written_index is None  # not known then: its place in the run
        assert (run.workloads[0].workload_index, run.workloads[0].task_index) == (3, 3)
