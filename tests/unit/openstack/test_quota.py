from squall.openstack.quota import ServerDemand, exceeded, peak, server_demand, shortfalls


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


def test_peak_adds_kept_iterations_spread_over_tenants_to_what_contexts_make():
    needs = peak(
        times=10,
        concurrency=2,
        tenants=3,
        keeps=True,
        per_iteration={"networks": 1, "subnets": 2},
        per_tenant={"networks": 1, "ports": 0},
    )
    assert needs == {"networks": 1 + 4, "subnets": 7}  # ceil(10/3), ceil(20/3)


def test_peak_without_a_known_count_keeps_only_the_contexts_share():
    needs = peak(
        times=None,
        concurrency=2,
        tenants=1,
        keeps=True,
        per_iteration={"volumes": 1},
        per_tenant={"volumes": 2},
    )
    assert needs == {"volumes": 2}


def test_exceeded_names_the_service():
    found = exceeded("cinder", {"volumes": 3, "gigabytes": 3}, {"volumes": 2, "gigabytes": -1}, {})
    assert [str(s) for s in found] == [
        "cinder quota volumes: the run needs 3 per project, the limit is 2 with 0 in use"
    ]
