"""Each OpenStack context sets up what it promises on the devcloud and cleans it all up."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from squall.contexts import BUILTIN
from squall.contexts.openstack.api_versions import ApiVersions
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import from_clouds_yaml
from squall.openstack.journal import MemoryJournal, ResourceKind
from squall.openstack.tenants import Flavors, Users
from squall.scenarios.base import ScenarioContext

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]
RUN = "a1b2c3d4e5f60718293a4b5c6d7e8f90"


@pytest.fixture
def image_file(tmp_path):
    path = tmp_path / "tiny.img"
    path.write_bytes(b"\0" * 4096)
    return str(path)


def _contexts(conn_ctx: ScenarioContext, specs: list[tuple[str, Any]]) -> list[Any]:
    made = []
    for name, raw in specs:
        module, _, attr = BUILTIN[name].partition(":")
        cls = getattr(importlib.import_module(module), attr)
        made.append(cls(cls.parse_config(raw), conn_ctx))
    return sorted(made, key=lambda c: c.order)


def _run(specs: list[tuple[str, Any]], check: Any) -> None:
    env = OpenStackEnv(clouds=[from_clouds_yaml("devcloud")], journal=MemoryJournal())
    context = ScenarioContext(run_id=RUN, workload_name="t")
    context.put(env)
    live = []
    try:
        for ctx in _contexts(context, specs):
            live.append(ctx)
            ctx.setup()
        check(context, env)
    finally:
        for ctx in reversed(live):
            ctx.cleanup()
        assert env.journal.entries(RUN) == []
        env.close()


def test_users_creates_projects_and_authenticated_users(cloud):
    before = cloud.snapshot()

    def check(context: ScenarioContext, env: OpenStackEnv) -> None:
        users = context.require(Users)
        assert len(users.tenants) == 2 and all(len(t.users) == 2 for t in users.tenants)
        for user in users.all_users:
            assert user.session.project_id == user.project_id
            assert list(user.session.conn.compute.flavors(details=False))

    _run([("users", {"tenants": 2, "users_per_tenant": 2})], check)
    assert not cloud.leaked(before, RUN)


def _network(conn, context, users, tenant):
    assert len(tenant.networks) == 2 and all(n.subnets for n in tenant.networks)
    assert all(conn.network.get_network(n.id) for n in tenant.networks)


def _roles(conn, context, users, tenant):
    reader = conn.identity.find_role("reader").id
    for user in users.all_users:
        found = conn.identity.role_assignments(user_id=user.id, scope_project_id=user.project_id)
        assert reader in {a.role["id"] for a in found}


def _volumes(conn, context, users, tenant):
    assert len(tenant.volumes) == 2
    assert all(conn.block_storage.get_volume(v).status == "available" for v in tenant.volumes)


def _servers(conn, context, users, tenant):
    assert len(tenant.servers) == 2
    assert all(conn.compute.get_server(s).status == "ACTIVE" for s in tenant.servers)


CHECKS = {
    "network": _network,
    "keypair": lambda conn, context, users, tenant: all(u.keypair for u in users.all_users),
    "allow_ssh": lambda conn, context, users, tenant: tenant.security_group,
    "quotas": lambda conn, context, users, tenant: (
        conn.compute.get_quota_set(tenant.id).instances == 7
    ),
    "flavors": lambda conn, context, users, tenant: context.require(Flavors).by_name[
        "squall-a1b2c3d4-flavor01"
    ],
    "volume_types": lambda conn, context, users, tenant: conn.block_storage.find_type(
        "squall-a1b2c3d4-voltype1"
    ),
    "volumes": _volumes,
    "api_versions": lambda conn, context, users, tenant: (
        context.require(ApiVersions).requested == {"nova": {"version": 2.1}}
    ),
    "roles": _roles,
    "servers": _servers,
}


@pytest.mark.parametrize(
    ("specs", "what"),
    [
        ([("users", {}), ("network", {"networks_per_tenant": 2})], "network"),
        ([("users", {}), ("keypair", {})], "keypair"),
        ([("users", {}), ("allow_ssh", {})], "allow_ssh"),
        (
            [("users", {}), ("quotas", {"nova": {"instances": 7}, "neutron": {"network": 9}})],
            "quotas",
        ),
        ([("flavors", [{"name": "squall-a1b2c3d4-flavor01", "ram": 64}])], "flavors"),
        ([("volume_types", ["squall-a1b2c3d4-voltype1"])], "volume_types"),
        ([("users", {}), ("volumes", {"size": 1, "volumes_per_tenant": 2})], "volumes"),
        ([("users", {}), ("api_versions", {"nova": {"version": 2.1}})], "api_versions"),
        ([("users", {"users_per_tenant": 2}), ("roles", ["reader"])], "roles"),
        (
            [
                ("users", {}),
                ("network", {}),
                (
                    "servers",
                    {
                        "image": {"regex": "^cirros"},
                        "flavor": {"name": "m1.nano"},
                        "servers_per_tenant": 2,
                    },
                ),
            ],
            "servers",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_context_sets_up_and_cleans_up(cloud, conn, specs, what):
    before = cloud.snapshot()

    def check(context: ScenarioContext, env: OpenStackEnv) -> None:
        users = context.get(Users)
        found = CHECKS[what](conn, context, users, users.tenants[0] if users else None)
        assert found is None or found, f"{what}: {found!r}"  # None: the check asserted itself

    _run(specs, check)
    assert not cloud.leaked(before, RUN)


def test_network_context_journals_each_subnet_with_its_network(cloud):
    """So that its cleanup deletes the networks only: their subnets go with them."""
    before = cloud.snapshot()

    def check(context: ScenarioContext, env: OpenStackEnv) -> None:
        tenants = context.require(Users).tenants
        networks = [n for t in tenants for n in t.networks]
        expected = {subnet: n.id for n in networks for subnet in n.subnets}
        rows = env.journal.entries(RUN)
        journaled = {e.resource_id: e.parent_id for e in rows if e.kind is ResourceKind.SUBNET}
        assert len(expected) == 2 * 2 * len(tenants) and journaled == expected

    _run([("users", {}), ("network", {"networks_per_tenant": 2, "subnets_per_network": 2})], check)
    assert not cloud.leaked(before, RUN)


def test_images_context_uploads_into_each_tenant(cloud, conn, image_file):
    before = cloud.snapshot()

    def check(context: ScenarioContext, env: OpenStackEnv) -> None:
        tenants = context.require(Users).tenants
        assert all(len(t.images) == 1 for t in tenants)
        assert all(conn.image.get_image(t.images[0]).status == "active" for t in tenants)

    _run(
        [
            ("users", {"tenants": 2}),
            ("images", {"image_url": image_file, "disk_format": "raw", "images_per_tenant": 1}),
        ],
        check,
    )
    assert not cloud.leaked(before, RUN)


def test_existing_network_gives_tenants_their_networks(cloud):
    from squall.openstack.credentials import Credential

    demo = Credential(username="demo", password="secret", project_name="demo")
    spec = from_clouds_yaml("devcloud").model_copy(update={"users": (demo,)})
    env = OpenStackEnv(clouds=[spec], journal=MemoryJournal())
    context = ScenarioContext(run_id=RUN, workload_name="t")
    context.put(env)
    live = _contexts(context, [("users", {}), ("existing_network", {})])
    try:
        for ctx in live:
            ctx.setup()
        tenant = context.require(Users).tenants[0]
        assert not tenant.users[0].created
        assert "private" in {n.name for n in tenant.networks}
    finally:
        for ctx in reversed(live):
            ctx.cleanup()
        env.close()
