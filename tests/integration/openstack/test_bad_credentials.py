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


def _check(result, *words: str, started: bool = False) -> None:
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err and "Traceback" not in result.out
    lines = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.err
    for word in words:
        assert word in result.err, result.err
    assert ("started" in result.out) is started


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
    for group in conn.network.security_groups(project_id=project.id):  # neutron's default
        conn.network.delete_security_group(group)
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


# -- TLS and a failing keystone, behind squall.testing's proxy -----------------------------


@pytest.fixture
def certs(tmp_path):
    from squall.testing.tls import self_signed

    return self_signed(tmp_path / "tls")


@pytest.fixture
def tls_keystone(certs):
    """The devcloud's keystone behind https with a self-signed certificate."""
    from squall.testing.proxy import HttpProxy

    with HttpProxy(("127.0.0.1", 5000), tls=certs.server_context()) as proxy:
        yield proxy


def _clouds_yaml(squall, auth_url: str, **settings: object) -> dict[str, str]:
    """The squall environment with a clouds.yaml holding one cloud, ``tls``: the
    devcloud's admin at ``auth_url`` plus ``settings`` (``cacert``, ``verify``)."""
    from squall.openstack.credentials import from_clouds_yaml

    admin = from_clouds_yaml("devcloud").admin
    assert admin is not None
    auth = {
        "auth_url": auth_url,
        "username": admin.username,
        "password": admin.password,
        "project_name": admin.project_name,
        "user_domain_name": "Default",
        "project_domain_name": "Default",
    }
    cloud = {"auth": auth, "region_name": "RegionOne", **settings}
    path = squall.workdir / "clouds.yaml"
    path.write_text(yaml.safe_dump({"clouds": {"tls": cloud}}))
    return {**squall.env, "OS_CLIENT_CONFIG_FILE": str(path)}


def test_a_self_signed_certificate_is_named_with_the_settings_that_fix_it(squall, tls_keystone):
    task = squall.task_file("auth.yaml", TASK)
    env = _clouds_yaml(squall, tls_keystone.url + "/v3")
    result = squall("task", "start", task, "--cloud", "tls", env=env)
    _check(result, "certificate verify failed: self-signed certificate", "https://127.0.0.1")
    hint = next(line for line in result.err.splitlines() if "hint:" in line)
    assert "cacert" in hint and "verify: false" in hint and "clouds.yaml" in hint
    assert tls_keystone.requests == []  # the handshake failed: no request got through


@pytest.mark.parametrize("trust", ["cacert", "verify: false"])
def test_with_the_ca_or_without_verification_it_runs(squall, tls_keystone, certs, trust):
    task = squall.task_file("auth.yaml", TASK)
    settings = {"cacert": str(certs.cert)} if trust == "cacert" else {"verify": False}
    env = _clouds_yaml(squall, tls_keystone.url + "/v3", **settings)
    result = squall("task", "start", task, "--cloud", "tls", env=env)
    assert result.code == 0, result.out + result.err
    assert "Traceback" not in result.err
    # the run's own authentication and the scenario's went through the TLS proxy
    assert tls_keystone.count("POST", "/v3/auth/tokens") >= 2


def test_a_keystone_answering_503_is_one_message(squall, tmp_path):
    from squall.testing.proxy import HttpProxy

    task = squall.task_file("auth.yaml", TASK)
    with HttpProxy(None, status=503) as failing:
        dep = _deployment(tmp_path, failing.url + "/v3", "secret")
        result = squall("task", "start", task, "--deployment", dep)
    _check(result, "503", "hint:")


def test_a_service_answering_503_mid_run_fails_its_iterations_and_the_run_is_kept(squall):
    """nova behind a proxy answering 503 (clouds.yaml ``compute_endpoint_override``):
    every iteration fails with the API's status, the run is stored and shown, and
    the leak check that cannot list servers is the one error, exit 1."""
    from squall.results.store import Store
    from squall.testing.proxy import HttpProxy

    task = squall.task_file(
        "list.yaml",
        "NovaServers.list_servers:\n  - runner: {type: constant, times: 3, concurrency: 1}\n",
    )
    with HttpProxy(None, status=503) as nova:
        override = {"compute_endpoint_override": nova.url + "/v2.1"}
        env = _clouds_yaml(squall, "http://127.0.0.1:5000/v3", **override)
        result = squall("task", "start", task, "--cloud", "tls", env=env)
        assert nova.count("GET", "/v2.1/servers/detail") == 3 + 1  # iterations, leak check
    _check(result, "503", "leak check", f"squall cleanup --run {result.run_id}", started=True)
    assert "iterations=3 failed=3" in result.out
    store = Store.open(str(squall.db))
    try:
        (workload,) = store.get_run(result.run_id).workloads
        errors = [i.error for i in store.iterations(workload.id)]
    finally:
        store.close()
    assert len(errors) == 3
    assert all(e is not None and "HTTP 503" in e.message for e in errors), errors
