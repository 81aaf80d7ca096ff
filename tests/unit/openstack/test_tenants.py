from collections import Counter

from squall.openstack.tenants import CloudUser, Tenant, Users


def users(tenants=2, per_tenant=2):
    result = []
    for t in range(tenants):
        tenant = Tenant(id=f"t{t}", name=f"t{t}")
        tenant.users = [
            CloudUser(session=None, id=f"t{t}u{u}", project_id=tenant.id)  # type: ignore[arg-type]
            for u in range(per_tenant)
        ]
        result.append(tenant)
    return result


def test_round_robin_walks_tenants_then_users_as_rally():
    pool = Users(tenants=users(), choice="round_robin")
    picked = [pool.pick(i)[0].id for i in range(1, 9)]
    assert picked == ["t0u0", "t1u0", "t0u1", "t1u1"] * 2


def test_random_uses_every_user():
    pool = Users(tenants=users(3, 1))
    seen = Counter(pool.pick(i)[0].id for i in range(1, 300))
    assert set(seen) == {"t0u0", "t1u0", "t2u0"}


def test_user_and_tenant_agree():
    pool = Users(tenants=users())
    for i in range(1, 20):
        user, tenant = pool.pick(i)
        assert user.project_id == tenant.id
