from squall.openstack.quota import ServerDemand, server_demand, shortfalls


def demand(**kw):
    args = {
        "times": 30,
        "concurrency": 5,
        "tenants": 2,
        "keeps": False,
        "per_iteration": 1,
        "context_servers": 0,
        "vcpus": 1,
        "ram": 64,
    }
    args.update(kw)
    return server_demand(**args)


def test_deleting_workloads_hold_their_concurrency():
    assert demand() == ServerDemand(instances=3, cores=3, ram=192)


def test_keeping_workloads_hold_every_iteration_until_cleanup():
    assert demand(keeps=True, tenants=3, context_servers=2) == ServerDemand(12, 12, 768)


def test_unknown_counts_are_not_guessed():
    assert demand(keeps=True, times=None) is None
    assert demand(per_iteration=0) is None


def test_only_definite_shortfalls():
    need = ServerDemand(instances=3, cores=6, ram=1024)
    assert shortfalls(need, {"instances": -1, "cores": -1, "ram": -1}, {}) == []
    found = shortfalls(need, {"instances": 10, "cores": 8, "ram": 2048}, {"cores": 3})
    assert [s.resource for s in found] == ["cores"]
    assert "limit is 8 with 3 in use" in str(found[0])
