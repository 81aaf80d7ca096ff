"""Tokens that expire every 10 s: iterations keep succeeding, and no iteration waits
for keystone.

A second keystone (``SideKeystone``: the devcloud's database and fernet keys, its
own process and port) issues tokens that live 10 s; the shared devcloud keystone is
left alone. The run authenticates there, and nova rejects its tokens once they
expire. Every token fetch is recorded with the thread that made it: after the
sessions were opened, only the keeper's thread fetched tokens, never an
iteration's (which is where atomic actions are timed). Keystone's own access log
counts the same number of tokens, so no fetch escaped the count.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml

from squall.api import openstack as openstack_api
from squall.api import tasks as tasks_api
from squall.openstack.credentials import from_clouds_yaml
from squall.openstack.session import KEEPER_THREAD, UserSession
from squall.plugins.loader import load_registry
from squall.results.journal import StoreJournal
from squall.results.store import Store
from squall.testing.keystone import SideKeystone

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

LIFETIME = 10
DURATION = 40


@pytest.fixture(scope="module")
def short_keystone(
    cloud_up: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SideKeystone]:
    from squall.devcloud import load_config

    workdir = tmp_path_factory.mktemp("keystone-short")
    with SideKeystone(load_config(), {"token": {"expiration": LIFETIME}}, workdir=workdir) as ks:
        yield ks


def deployment(tmp_path: Path, auth_url: str) -> Path:
    """A Rally deployment file: the devcloud's admin, authenticating at ``auth_url``."""
    admin = from_clouds_yaml("devcloud").admin
    assert admin is not None
    spec = {
        "openstack": {
            "auth_url": auth_url,
            "region_name": "RegionOne",
            "admin": {
                "username": admin.username,
                "password": admin.password,
                "project_name": admin.project_name,
            },
        }
    }
    path = tmp_path / "deployment.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def test_without_renewal_an_iteration_thread_would_fetch_the_token(short_keystone, tmp_path):
    """The witness works: a session whose token expired re-authenticates on the thread
    that makes the next request (keystoneauth's fallback), and the log says so."""
    spec = openstack_api.cloud_specs(
        openstack_api.CloudOptions(deployment=deployment(tmp_path, short_keystone.auth_url))
    )[0]
    assert spec.admin is not None
    session = UserSession.open(spec, spec.admin)
    try:
        token = session.conn.session.auth.auth_ref.auth_token
        nova = session.conn.compute.get_endpoint()
        threading.Event().wait(LIFETIME + 1)  # no keeper: the token runs out
        assert requests.get(f"{nova}/flavors", headers={"X-Auth-Token": token}).status_code == 401
        worker = threading.Thread(
            target=lambda: list(session.conn.compute.flavors()), name="iteration-worker"
        )
        worker.start()
        worker.join()
        assert [f.thread for f in session.tokens.fetches][1:] == ["iteration-worker"]
    finally:
        session.close()


def test_iterations_succeed_past_expiry_and_only_the_keeper_fetches_tokens(
    short_keystone, tmp_path
):
    task_file = tmp_path / "validate.json"
    task_file.write_text(
        json.dumps(
            {
                "Authenticate.validate_nova": [
                    {
                        "args": {"repetitions": 2},
                        "runner": {
                            "type": "constant_for_duration",
                            "duration": DURATION,
                            "concurrency": 2,
                        },
                        "context": {"users": {"tenants": 1, "users_per_tenant": 2}},
                    }
                ]
            }
        )
    )
    registry = load_registry([])
    task = tasks_api.validate(tasks_api.TaskInput(str(task_file)), registry)
    before = short_keystone.settled_token_requests()
    store = Store.open(str(tmp_path / "squall.db"))
    try:
        options = openstack_api.CloudOptions(
            deployment=deployment(tmp_path, short_keystone.auth_url)
        )
        prepared = openstack_api.prepare(task, options, StoreJournal(store))
        (env,) = prepared.items
        admin_expires = env.admin().conn.session.auth.auth_ref.expires.timestamp()
        outcome = tasks_api.start(
            prepared.task,
            store,
            registry,
            options=tasks_api.StartOptions(context_items=prepared.items),
        )
        summary = outcome.summaries[0]
        (workload,) = store.get_run(outcome.run_id).workloads
        iterations = list(store.iterations(workload.id))
        assert openstack_api.finish(prepared.items, outcome.run_id) == []
    finally:
        store.close()

    assert summary.failed_iteration_count == 0, [i.error for i in iterations if i.error]
    late = [i for i in iterations if i.timestamp > admin_expires + 2 * LIFETIME]
    assert len(late) >= 10, "iterations ran well past the first token's expiry"

    fetches = env.token_fetches()
    opened = [f for f in fetches if not f.by_keeper]
    assert len(opened) == 3, fetches  # the admin and the 2 users, once each, when opened
    assert not any(f.thread.startswith(("ThreadPoolExecutor", "squall-iter")) for f in opened)
    renewals = [f for f in fetches if f.thread == KEEPER_THREAD]
    assert len(renewals) >= 3 * (DURATION // LIFETIME), "each session renewed past every expiry"
    assert short_keystone.settled_token_requests() - before == len(fetches)
