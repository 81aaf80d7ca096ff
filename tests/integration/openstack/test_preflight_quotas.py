"""Preflight refuses a run whose project's neutron or cinder quotas cannot hold it,
before anything is created."""

from __future__ import annotations

import pytest
import yaml

from .test_bad_credentials import _check

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]

NAME = "squall-quota-test-neutron-cinder"


@pytest.fixture
def tight_project(conn, tmp_path):
    """A project with room for one network, eight security group rules and one volume,
    and an admin user of it, as a deployment file (its admin acts in its own project:
    no users context)."""
    identity = conn.identity
    project = identity.create_project(name=NAME, domain_id="default")
    user = identity.create_user(name=NAME, password="pw", default_project_id=project.id)
    identity.assign_project_role_to_user(project, user, identity.find_role("admin"))
    conn.network.update_quota(project.id, networks=1, security_group_rules=8)
    conn.block_storage.update_quota_set(project.id, volumes=1)
    path = tmp_path / "tight.yaml"
    spec = {
        "openstack": {
            "auth_url": "http://127.0.0.1:5000/v3",
            "region_name": "RegionOne",
            "admin": {"username": NAME, "password": "pw", "project_name": NAME},
        }
    }
    path.write_text(yaml.safe_dump(spec))
    yield str(path), project.id
    for group in conn.network.security_groups(project_id=project.id):  # neutron's default
        conn.network.delete_security_group(group)
    conn.network.delete_quota(project.id)
    conn.block_storage.revert_quota_set(project.id)
    identity.delete_user(user)
    identity.delete_project(project)


def _networks_and_volumes(conn, project_id):
    networks = list(conn.network.networks(project_id=project_id))
    volumes = list(conn.block_storage.volumes(all_projects=True, project_id=project_id))
    return networks, volumes


def test_neutron_quota_that_cannot_hold_the_networks(squall, conn, tight_project):
    deployment, project_id = tight_project
    task = squall.task_file(
        "networks.yaml",
        """
NeutronNetworks.create_and_list_networks:
  - runner: {type: constant, times: 3, concurrency: 1}
""",
    )
    result = squall("task", "start", task, "--deployment", deployment)
    _check(result, "preflight", "neutron quota networks", "needs 3", "limit is 1")
    assert _networks_and_volumes(conn, project_id) == ([], [])


def test_neutron_quota_that_cannot_hold_the_security_group_rules(squall, conn, tight_project):
    deployment, project_id = tight_project
    task = squall.task_file(
        "rules.yaml",
        """
NeutronSecurityGroup.create_and_list_security_group_rules:
  - args: {security_group_rules_count: 1}
    runner: {type: constant, times: 3, concurrency: 1}
""",
    )
    result = squall("task", "start", task, "--deployment", deployment)
    # each group: neutron's two egress rules and the one the iteration adds
    _check(result, "preflight", "neutron quota security_group_rules", "needs 9", "limit is 8")
    groups = conn.network.security_groups(project_id=project_id)
    assert [g.name for g in groups if g.name != "default"] == []


def test_cinder_quota_that_cannot_hold_the_volumes(squall, conn, tight_project):
    deployment, project_id = tight_project
    task = squall.task_file(
        "volumes.yaml",
        """
CinderVolumes.create_and_delete_volume:
  - args: {size: 1}
    runner: {type: constant, times: 1, concurrency: 1}
    context: {volumes: {size: 1, volumes_per_tenant: 2}}
""",
    )
    result = squall("task", "start", task, "--deployment", deployment)
    # two context volumes and the one the iteration in flight holds
    _check(result, "preflight", "cinder quota volumes", "needs 3", "limit is 1")
    assert _networks_and_volumes(conn, project_id) == ([], [])


def test_a_run_that_fits_is_not_refused(squall, tight_project):
    deployment, _ = tight_project
    task = squall.task_file(
        "one.yaml",
        """
NeutronNetworks.create_and_list_networks:
  - runner: {type: constant, times: 1, concurrency: 1}
""",
    )
    result = squall("task", "start", task, "--deployment", deployment)
    assert result.code == 0, result.out + result.err
    assert "preflight" not in result.err
