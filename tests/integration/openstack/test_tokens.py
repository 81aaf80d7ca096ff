"""One authenticated session per user, reused by every iteration: keystone issues one
token per user (and one for the admin), however many iterations run."""

from __future__ import annotations

import json

import pytest

from squall.api import openstack as openstack_api
from squall.api import tasks as tasks_api
from squall.plugins.loader import load_registry
from squall.results.journal import StoreJournal
from squall.results.store import Store

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]


def test_tokens_per_run_are_users_plus_admin(tmp_path, cloud_up):
    task_file = tmp_path / "auth.json"
    task_file.write_text(
        json.dumps(
            {
                "Authenticate.validate_nova": [
                    {
                        "args": {"repetitions": 2},
                        "runner": {"type": "constant", "times": 40, "concurrency": 8},
                        "context": {"users": {"tenants": 2, "users_per_tenant": 2}},
                    }
                ]
            }
        )
    )
    registry = load_registry([])
    task = tasks_api.validate(tasks_api.TaskInput(str(task_file)), registry)
    store = Store.open(str(tmp_path / "squall.db"))
    try:
        options = openstack_api.CloudOptions(clouds=("devcloud",), environ={})
        prepared = openstack_api.prepare(task, options, StoreJournal(store))
        (env,) = prepared.items
        outcome = tasks_api.start(
            prepared.task,
            store,
            registry,
            options=tasks_api.StartOptions(context_items=prepared.items),
        )
        assert outcome.summaries[0].failed_iteration_count == 0
        assert outcome.summaries[0].total_iteration_count == 40
        assert env.tokens_issued == 2 * 2 + 1
        assert openstack_api.finish(prepared.items, outcome.run_id) == []
    finally:
        store.close()
