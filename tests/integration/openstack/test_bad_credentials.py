"""Wrong credentials or an unreachable cloud: one clear message, exit 1, no run stored."""

from __future__ import annotations

import socket

import pytest
import yaml

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

TASK = """
version: 2
title: auth
subtasks:
  - title: auth
    workloads:
      - scenario: {Authenticate.keystone: {}}
        runner: {constant: {times: 1, concurrency: 1}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _deployment(tmp_path, auth_url: str, password: str) -> str:
    path = tmp_path / "deployment.yaml"
    spec = {
        "openstack": {
            "auth_url": auth_url,
            "region_name": "RegionOne",
            "admin": {"username": "admin", "password": password, "project_name": "admin"},
        }
    }
    path.write_text(yaml.safe_dump(spec))
    return str(path)


def _check(result, *words: str) -> None:
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err and "Traceback" not in result.out
    lines = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.err
    for word in words:
        assert word in result.err, result.err
    assert "started" not in result.out


def test_wrong_password(squall, tmp_path):
    task = squall.task_file("auth.yaml", TASK)
    dep = _deployment(tmp_path, "http://127.0.0.1:5000/v3", "not-the-password")
    result = squall("task", "start", task, "--deployment", dep)
    _check(result, "401", "hint:")


def test_unreachable_auth_url(squall, tmp_path):
    task = squall.task_file("auth.yaml", TASK)
    dep = _deployment(tmp_path, f"http://127.0.0.1:{_free_port()}/v3", "x")
    result = squall("task", "start", task, "--deployment", dep)
    _check(result, "connection refused", "auth URL")


def test_unknown_cloud_name(squall):
    task = squall.task_file("auth.yaml", TASK)
    result = squall("task", "start", task, "--cloud", "no-such-cloud")
    _check(result, "no-such-cloud", "devcloud")


def test_preflight_stops_before_anything_is_created(squall):
    task = squall.task_file(
        "boot.yaml",
        """
NovaServers.boot_server:
  - args: {image: {name: no-such-image, accurate: true}, flavor: {name: m1.nano}}
    runner: {type: constant, times: 1, concurrency: 1}
    context: {users: {}}
""",
    )
    result = squall("task", "start", task, "--cloud", "devcloud")
    _check(result, "preflight", "no-such-image")


@pytest.fixture
def small_project(conn, tmp_path):
    """A project with room for one server, and an admin user of it, as a deployment file."""
    identity = conn.identity
    name = "squall-quota-test"
    project = identity.create_project(name=name, domain_id="default")
    user = identity.create_user(name=name, password="pw", default_project_id=project.id)
    identity.assign_project_role_to_user(project, user, identity.find_role("admin"))
    conn.compute.update_quota_set(project.id, instances=1)
    path = tmp_path / "small.yaml"
    spec = {
        "openstack": {
            "auth_url": "http://127.0.0.1:5000/v3",
            "region_name": "RegionOne",
            "admin": {"username": name, "password": "pw", "project_name": name},
        }
    }
    path.write_text(yaml.safe_dump(spec))
    yield str(path)
    conn.compute.revert_quota_set(project.id)
    identity.delete_user(user)
    identity.delete_project(project)


def test_preflight_refuses_a_run_the_quota_cannot_hold(squall, small_project):
    task = squall.task_file(
        "keep.yaml",
        """
NovaServers.boot_server:
  - args: {image: {regex: "^cirros"}, flavor: {name: m1.nano}}
    runner: {type: constant, times: 3, concurrency: 1}
""",
    )
    result = squall("task", "start", task, "--deployment", small_project)
    _check(result, "preflight", "nova quota instances", "needs 3", "limit is 1")
