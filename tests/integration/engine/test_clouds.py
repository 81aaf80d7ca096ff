"""A workload written once for several clouds runs once on each, stored per cloud.

No cloud is contacted: the scenario only reads which cloud its workload acts on
(``OpenStackEnv.primary``), so two specs that are never authenticated stand for
two clouds. The devcloud test (tests/integration/openstack/test_cloud_fanout.py)
does the same against real services.
"""

from __future__ import annotations

from typing import ClassVar

import pytest
from sqlalchemy import create_engine, text

from squall.api import compare as compare_api
from squall.api import tasks as tasks_api
from squall.errors import ConfigError
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import CloudSpec
from squall.plugins.loader import load_registry
from squall.plugins.registry import Registry
from squall.results.records import RunRecord
from squall.results.store import Store
from squall.scenarios.base import Scenario
from squall.task.clouds import expand_clouds
from squall.task.loader import load_text
from squall.task.validate import validate_task

pytestmark = pytest.mark.integration

URL = "http://127.0.0.1:9/v3"  # never contacted

TASK = """\
squall: 1
title: clouds
subtasks:
  - title: each cloud
    run_in_parallel: {parallel}
    workloads:
      - scenario: Testing.which_cloud
        runner: {{type: constant, times: 4, concurrency: 2}}
        contexts: {{cloud: {cloud}}}
"""

#: the same workload written twice: on every cloud, then on ``east`` alone
TWICE = """\
squall: 1
title: clouds
subtasks:
  - title: each cloud
    workloads:
      - scenario: Testing.which_cloud
        runner: {type: constant, times: 4, concurrency: 2}
        contexts: {cloud: all}
      - scenario: Testing.which_cloud
        runner: {type: constant, times: 2, concurrency: 1}
        contexts: {cloud: east}
"""


class WhichCloud(Scenario):
    """Times one atomic action named after the cloud it acts on; fails on ``west``."""

    name: ClassVar[str] = "Testing.which_cloud"

    def run(self) -> None:
        label = self.context.require(OpenStackEnv).primary.label
        with self.atomics.action(f"on.{label}"):
            if label.startswith("west"):
                raise RuntimeError("west is down")


@pytest.fixture
def store(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'r.db'}") as s:
        yield s


@pytest.fixture
def registry() -> Registry:
    found = load_registry()
    found.add_class(WhichCloud, origin="tests")
    return found


def run(store: Store, registry: Registry, cloud: str, clouds: list[str], **fmt: bool) -> RunRecord:
    text = TASK.format(cloud=cloud, parallel=str(fmt.get("parallel", False)).lower())
    return run_text(store, registry, text, clouds)


def run_text(store: Store, registry: Registry, text: str, clouds: list[str]) -> RunRecord:
    task = validate_task(load_text(text, "clouds.yaml"), registry)
    specs = [CloudSpec(name=n, auth_url=URL) for n in clouds]
    env = OpenStackEnv(clouds=specs)
    try:
        outcome = tasks_api.start(
            expand_clouds(task, clouds),
            store,
            registry,
            options=tasks_api.StartOptions(context_items=[env], tags=["clouds"]),
            handle_signals=False,
        )
    finally:
        env.close()
    return store.get_run(outcome.run_id)


@pytest.mark.parametrize("parallel", [False, True])
def test_every_cloud_gets_its_own_workload_results_and_sla(store, registry, parallel):
    record = run(store, registry, "all", ["east", "west"], parallel=parallel)
    east, west = record.workloads
    assert (east.cloud, west.cloud) == ("east", "west")
    assert [w.workload_index for w in record.workloads] == [0, 1]
    assert east.summary is not None and west.summary is not None
    assert {row.name for row in east.summary.stats} >= {"on.east"}
    assert "on.east" not in {row.name for row in west.summary.stats}
    assert (east.summary.failed_iteration_count, west.summary.failed_iteration_count) == (0, 4)
    assert (east.summary.pass_sla, west.summary.pass_sla) == (True, False)
    assert [w["contexts"] for w in record.task["subtasks"][0]["workloads"]] == [
        {"cloud": "east"},
        {"cloud": "west"},
    ]


def test_compare_pairs_each_cloud_with_itself(store, registry):
    before = run(store, registry, "[east, west]", ["east", "west"])
    after = run(store, registry, "[east, west]", ["east", "west"])
    result = compare_api.compare_runs(store, before.id, after.id)
    assert [w.label for w in result.workloads] == [
        "[0.0] Testing.which_cloud @ east",
        "[0.0] Testing.which_cloud @ west",
    ]


def failure_rates(result: compare_api.RunComparison) -> dict[str, tuple[float | None, ...]]:
    return {w.label: (w.failure_rate.before, w.failure_rate.after) for w in result.workloads}


@pytest.mark.parametrize(("first", "second"), [("all", "all"), ("[east, west]", "[west, east]")])
def test_clouds_given_in_the_other_order_pair_each_cloud_with_itself(
    store, registry, first, second
):
    before = run(store, registry, first, ["east", "west"])
    after = run(store, registry, second, ["west", "east"])
    assert [w.cloud for w in after.workloads] == ["west", "east"]
    assert [w.written_index for w in after.workloads] == [0, 0]
    result = compare_api.compare_runs(store, before.id, after.id)
    assert failure_rates(result) == {  # east never fails, west always does
        "[0.0] Testing.which_cloud @ east": (0.0, 0.0),
        "[0.0] Testing.which_cloud @ west": (100.0, 100.0),
    }
    assert result.unmatched == []
    east = next(w for w in result.workloads if w.label.endswith("@ east"))
    assert "on.east" in {s.name for s in east.series}


def test_trends_follow_each_cloud_whatever_order_the_clouds_were_given_in(store, registry):
    run(store, registry, "all", ["east", "west"])
    run(store, registry, "all", ["west", "east"])
    found = compare_api.trends(store, "clouds")
    assert {t.label: [p.failure_rate for p in t.points] for t in found.workloads} == {
        "clouds: [0.0] Testing.which_cloud @ east": [0.0, 0.0],
        "clouds: [0.0] Testing.which_cloud @ west": [100.0, 100.0],
    }


def test_a_cloud_added_leaves_the_workloads_after_it_paired_as_written(store, registry):
    before = run_text(store, registry, TWICE, ["east"])
    after = run_text(store, registry, TWICE, ["west", "east"])
    assert [(w.workload_index, w.written_index, w.cloud) for w in after.workloads] == [
        (0, 0, "west"),
        (1, 0, "east"),
        (2, 1, "east"),
    ]
    result = compare_api.compare_runs(store, before.id, after.id)
    assert [w.label for w in result.workloads] == [
        "[0.0] Testing.which_cloud @ east",
        "[0.1] Testing.which_cloud @ east",
    ]
    assert result.unmatched == ["[0.0] Testing.which_cloud @ west"]


def test_a_run_stored_before_written_places_were_kept_still_compares(store, registry, tmp_path):
    before = run(store, registry, "[east, west]", ["east", "west"])
    engine = create_engine(f"sqlite:///{tmp_path / 'r.db'}")
    with engine.begin() as conn:  # what migration 0005 leaves in an older run's rows
        conn.execute(text("UPDATE workloads SET written_index = NULL WHERE run_id = :id"),
                     {"id": before.id})  # fmt: skip
    engine.dispose()
    assert [w.task_index for w in store.get_run(before.id).workloads] == [0, 1]
    after = run(store, registry, "east", ["east"])
    result = compare_api.compare_runs(store, before.id, after.id)
    assert [w.label for w in result.workloads] == ["[0.0] Testing.which_cloud @ east"]
    assert result.unmatched == ["[0.1] Testing.which_cloud @ west"]


def test_runs_of_other_tasks_are_refused(store, registry):
    before = run(store, registry, "east", ["east"])
    after = run(store, registry, "west", ["west"])
    with pytest.raises(ConfigError, match="no finished workload in common"):
        compare_api.compare_runs(store, before.id, after.id)
