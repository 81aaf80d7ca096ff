"""One authenticated session per user, reused by every iteration: keystone issues one
token per user (and one for the admin), however many iterations run."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from squall.api import openstack as openstack_api
from squall.api import tasks as tasks_api
from squall.engine.task_engine import RunOutcome
from squall.openstack.cloud import OpenStackEnv
from squall.plugins.loader import load_registry
from squall.results.journal import StoreJournal
from squall.results.store import Store

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]


@dataclass
class Prepared:
    """A task authenticated and preflighted, ready to ``run()``."""

    env: OpenStackEnv
    tokens_before_run: int
    run: Callable[[], RunOutcome]


@contextmanager
def prepared(tmp_path, task: dict, options: openstack_api.CloudOptions) -> Iterator[Prepared]:
    """``task`` prepared against the devcloud with a private store; its run must leave
    nothing behind."""
    task_file = tmp_path / "task.json"
    task_file.write_text(json.dumps(task))
    registry = load_registry([])
    validated = tasks_api.validate(tasks_api.TaskInput(str(task_file)), registry)
    store = Store.open(str(tmp_path / "squall.db"))
    try:
        ready = openstack_api.prepare(validated, options, StoreJournal(store))
        (env,) = ready.items

        def run() -> RunOutcome:
            start = tasks_api.StartOptions(context_items=ready.items)
            outcome = tasks_api.start(ready.task, store, registry, options=start)
            assert openstack_api.finish(ready.items, outcome.run_id) == []
            return outcome

        yield Prepared(env, env.tokens_issued, run)
    finally:
        store.close()


def test_tokens_per_run_are_users_plus_admin(tmp_path, cloud_up):
    task = {
        "Authenticate.validate_nova": [
            {
                "args": {"repetitions": 2},
                "runner": {"type": "constant", "times": 40, "concurrency": 8},
                "context": {"users": {"tenants": 2, "users_per_tenant": 2}},
            }
        ]
    }
    options = openstack_api.CloudOptions(clouds=("devcloud",), environ={})
    with prepared(tmp_path, task, options) as ready:
        outcome = ready.run()
        assert outcome.summaries[0].failed_iteration_count == 0
        assert outcome.summaries[0].total_iteration_count == 40
        assert ready.env.tokens_issued == 2 * 2 + 1


def test_existing_users_authenticate_before_the_run_not_in_an_iteration(tmp_path, cloud_up):
    """A Rally deployment listing existing users: each is authenticated once when the
    run is prepared; the iterations acting as them fetch no token."""
    import yaml

    from squall.openstack.credentials import from_clouds_yaml

    admin = from_clouds_yaml("devcloud").admin
    assert admin is not None
    deployment = tmp_path / "deployment.yaml"
    user = {"password": "secret", "user_domain_name": "Default", "project_domain_name": "Default"}
    deployment.write_text(
        yaml.safe_dump(
            {
                "openstack": {
                    "auth_url": "http://127.0.0.1:5000/v3",
                    "region_name": "RegionOne",
                    "admin": {
                        "username": admin.username,
                        "password": admin.password,
                        "project_name": admin.project_name,
                    },
                    "users": [
                        {**user, "username": "demo", "project_name": "demo"},
                        {**user, "username": "alt_demo", "project_name": "alt_demo"},
                    ],
                }
            }
        )
    )
    runner = {"type": "constant", "times": 8, "concurrency": 2}
    task = {"Authenticate.validate_nova": [{"runner": runner}]}
    options = openstack_api.CloudOptions(deployment=deployment, environ={})
    with prepared(tmp_path, task, options) as ready:
        assert ready.tokens_before_run == 3  # admin, demo, alt_demo: before anything runs
        outcome = ready.run()
        assert outcome.summaries[0].failed_iteration_count == 0
        assert ready.env.tokens_issued == 3
