"""One workload written for every cloud of a run (``cloud: all``) runs once on each.

The devcloud has one region, so its two clouds.yaml entries stand for two clouds:
``devcloud`` (the admin, project ``admin``) and ``devcloud-demo`` (a member of project
``demo``). Each copy of the workload acts as its own cloud's user: its networks are
journaled under that cloud and live in that cloud's project; each copy has its own
stored results, labelled with its cloud; the run leaves nothing behind.
"""

from __future__ import annotations

import pytest

from squall.results.store import Store

from .test_bad_credentials import _check
from .test_multi_cloud import _networks_by_cloud

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

CLOUDS = ("devcloud", "devcloud-demo")

TASK = """
squall: 1
title: every cloud
subtasks:
  - title: networks
    run_in_parallel: true
    workloads:
      - scenario: NeutronNetworks.create_and_list_networks
        runner: {type: constant, times: 2, concurrency: 1}
        contexts: {cloud: all}
        sla: {failure_rate: {max: 0}}
"""

MONITOR = """
squall: 1
title: monitor a cloud the run lacks
resilience:
  monitors:
    - api: {cloud: nope, endpoints: [token]}
subtasks:
  - title: auth
    workloads:
      - scenario: Authenticate.keystone
"""


def _name(label):
    return label.split("/")[0]


def _record(db, run_id):
    store = Store.open(str(db))
    try:
        return store.get_run(run_id)
    finally:
        store.close()


def test_cloud_all_runs_the_workload_once_on_each_cloud(squall, conn, cloud):
    before = cloud.snapshot()
    task = squall.task_file("all.yaml", TASK)
    result = squall("task", "start", task, "--cloud", CLOUDS[0], "--cloud", CLOUDS[1])
    assert result.code == 0, result.out + result.err
    assert "[0.0] networks @ devcloud" in result.out
    assert "[0.1] networks @ devcloud-demo" in result.out
    record = _record(squall.db, result.run_id)
    # labels are NAME/REGION: the devcloud's clouds.yaml entries name RegionOne
    assert [(w.workload_index, _name(w.cloud)) for w in record.workloads] == [
        (0, CLOUDS[0]),
        (1, CLOUDS[1]),
    ]
    assert [_name(c["name"]) for c in record.environment.cloud["clouds"]] == list(CLOUDS)
    for workload in record.workloads:
        summary = workload.summary
        assert summary is not None and summary.pass_sla
        assert (summary.total_iteration_count, summary.failed_iteration_count) == (2, 0)
    admin = conn.identity.find_project("admin").id
    demo = conn.identity.find_project("demo").id
    networks = _networks_by_cloud(squall.db, result.run_id)
    assert {_name(label): projects for label, projects in networks.items()} == {
        CLOUDS[0]: {admin},
        CLOUDS[1]: {demo},
    }
    assert not cloud.leaked(before, result.run_id, squall.db)


def test_a_monitor_naming_a_cloud_the_run_lacks_stops_it_before_it_starts(squall):
    task = squall.task_file("monitor.yaml", MONITOR)
    result = squall("task", "start", task, "--cloud", CLOUDS[0], "--cloud", CLOUDS[1])
    _check(result, "resilience.monitors[0].cloud", "unknown cloud 'nope'", "devcloud-demo")
