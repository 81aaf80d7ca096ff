"""Several clouds in one run: a workload with the ``cloud`` context acts on that cloud.

The devcloud's two clouds.yaml entries (``devcloud``, the admin; ``devcloud-demo``, a
member of project ``demo``) stand for two clouds: what each workload created is
journaled under its cloud and lives in that cloud's project.
"""

from __future__ import annotations

import pytest

from squall.openstack.journal import ResourceKind
from squall.results.journal import StoreJournal
from squall.results.store import Store

from .test_bad_credentials import _check

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

TASK = """
version: 2
title: two clouds
subtasks:
  - title: each cloud
    workloads:
      - scenario: {NeutronNetworks.create_and_list_networks: {}}
        runner: {constant: {times: 2, concurrency: 1}}
      - scenario: {NeutronNetworks.create_and_list_networks: {}}
        runner: {constant: {times: 2, concurrency: 1}}
        contexts: {cloud: %s}
"""


def _networks_by_cloud(db, run_id):
    store = Store.open(str(db))
    try:
        rows = StoreJournal(store).entries(run_id, live_only=False)
    finally:
        store.close()
    found: dict[str, set[str | None]] = {}
    for row in rows:
        if row.kind is ResourceKind.NETWORK:
            found.setdefault(row.cloud, set()).add(row.project_id)
    return found


def test_each_workload_acts_on_its_cloud(squall, conn, cloud):
    before = cloud.snapshot()
    task = squall.task_file("two.yaml", TASK % "devcloud-demo")
    result = squall("task", "start", task, "--cloud", "devcloud", "--cloud", "devcloud-demo")
    assert result.code == 0, result.out + result.err
    demo = conn.identity.find_project("demo").id
    admin = conn.identity.find_project("admin").id
    by_cloud = _networks_by_cloud(squall.db, result.run_id)
    assert {c.split("/")[0] for c in by_cloud} == {"devcloud", "devcloud-demo"}
    assert next(p for c, p in by_cloud.items() if c.startswith("devcloud-demo")) == {demo}
    assert next(p for c, p in by_cloud.items() if not c.startswith("devcloud-demo")) == {admin}
    assert not cloud.leaked(before, result.run_id, squall.db)


def test_a_cloud_the_run_does_not_have_stops_it_before_any_cloud_is_contacted(squall):
    task = squall.task_file("nope.yaml", TASK % "nope")
    result = squall("task", "start", task, "--cloud", "devcloud")
    _check(result, "nope.yaml:", "contexts.cloud", "unknown cloud 'nope'", "this run has: devcloud")
