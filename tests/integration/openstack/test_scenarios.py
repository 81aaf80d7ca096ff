"""Every OpenStack scenario of this module set runs through `squall task start` on the
devcloud at small times and concurrency, and leaves nothing behind."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

FAST_WAITS = {
    "nova_server_boot": {"prepoll": 0.2, "interval": 0.5},
    "nova_server_delete": {"prepoll": 0.2, "interval": 0.5},
}
BOOT = {"image": {"regex": "^cirros"}, "flavor": {"name": "m1.nano"}, "waits": FAST_WAITS}
NOVA = [
    ("NovaServers.boot_and_delete_server", BOOT),
    ("NovaServers.boot_and_list_server", BOOT),
    ("NovaServers.boot_server", BOOT),
    ("NovaServers.boot_and_show_server", BOOT),
    ("NovaServers.list_servers", {}),
]
AUTH = [
    ("Authenticate.keystone", {}),
    ("Authenticate.validate_nova", {"repetitions": 2}),
    ("Authenticate.validate_neutron", {"repetitions": 2}),
    ("Authenticate.validate_glance", {"repetitions": 2}),
    ("Authenticate.validate_cinder", {"repetitions": 2}),
]
KEYSTONE = [
    (f"KeystoneBasic.{name}", {})
    for name in (
        "create_user",
        "create_delete_user",
        "create_user_set_enabled_and_delete",
        "create_and_list_users",
        "create_user_update_password",
        "create_tenant",
        "create_and_list_tenants",
        "create_update_and_delete_tenant",
        "create_and_delete_role",
        "create_and_get_role",
        "add_and_remove_user_role",
        "create_add_and_list_user_roles",
        "get_entities",
        "create_and_delete_service",
        "create_and_list_services",
        "authenticate_user_and_validate_token",
    )
] + [("KeystoneBasic.create_tenant_with_users", {"users_per_tenant": 2})]


def _task(title: str, workloads: list[tuple[str, dict]], contexts: dict) -> str:
    return json.dumps(
        {
            "version": 2,
            "title": title,
            "subtasks": [
                {
                    "title": name,
                    "workloads": [
                        {
                            "scenario": {name: args},
                            "runner": {"constant": {"times": 2, "concurrency": 2}},
                            "contexts": contexts,
                            "sla": {"failure_rate": {"max": 0}},
                        }
                    ],
                }
                for name, args in workloads
            ],
        }
    )


@pytest.mark.parametrize(
    ("family", "workloads", "contexts"),
    [
        ("nova", NOVA, {"users": {"tenants": 1}, "network": {}}),
        ("authenticate", AUTH, {"users": {"tenants": 2, "users_per_tenant": 1}}),
        ("keystone", KEYSTONE, {"users": {}}),
    ],
)
def test_family_runs_and_leaves_nothing(squall, cloud, family, workloads, contexts):
    before = cloud.snapshot()
    task = squall.task_file(f"{family}.json", _task(family, workloads, contexts))
    result = squall("task", "start", task, "--cloud", "devcloud")
    assert result.code == 0, result.out + result.err
    assert "left in the cloud" not in result.out
    run_id = result.run_id
    exported = squall("task", "results", run_id)
    assert exported.code == 0, exported.err
    assert not cloud.leaked(before, run_id, squall.db)


def test_atomic_names_and_quantisation_are_rallys(squall):
    task = squall.task_file("boot.json", _task("boot", NOVA[:1], {"users": {}}))
    result = squall("task", "start", task, "--cloud", "devcloud")
    assert result.code == 0, result.out + result.err
    out = result.out
    assert "nova.boot_server" in out and "nova.delete_server" in out
    assert "nova_server_boot.poll_interval = 0.5 s" in out
    assert "nova_server_delete.timeout = 300 s" in out


def test_quota_exceeded_fails_iterations_not_the_run(squall, cloud):
    before = cloud.snapshot()
    contexts = {"users": {}, "quotas": {"nova": {"instances": 1, "cores": 1, "ram": 512}}}
    workload = [("NovaServers.boot_server", BOOT)]
    body = json.loads(_task("quota", workload, contexts))
    body["subtasks"][0]["workloads"][0]["runner"] = {"constant": {"times": 3, "concurrency": 1}}
    task = squall.task_file("quota.json", json.dumps(body))
    result = squall("task", "start", task, "--cloud", "devcloud")
    assert result.code == 2, result.out + result.err  # the failure_rate SLA fails
    assert "failed=2" in result.out
    assert not cloud.leaked(before, result.run_id, squall.db)


def test_a_scenario_for_a_missing_service_is_skipped_with_the_reason(squall):
    heat = [("Authenticate.validate_heat", {}), ("Authenticate.keystone", {})]
    task = squall.task_file("heat.json", _task("heat", heat, {"users": {}}))
    result = squall("task", "start", task, "--cloud", "devcloud")
    assert result.code == 0, result.out + result.err
    assert "skipped [0.0]: Authenticate.validate_heat needs orchestration" in result.out
    assert "authenticate.keystone" in result.out
    only_heat = squall.task_file("heat-only.json", _task("heat", heat[:1], {"users": {}}))
    result = squall("task", "start", only_heat, "--cloud", "devcloud")
    assert result.code == 1 and "no workload of this task can run" in result.err, result.err
