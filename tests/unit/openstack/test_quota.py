from squall.openstack.quota import (
    QuotaUse,
    ServerDemand,
    exceeded,
    peak,
    server_demand,
    service_peaks,
    shortfalls,
)
from squall.scenarios.openstack.cinder_volumes import CreateAndDeleteVolume, CreateVolume


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
        kept={"networks": 1, "subnets": 2},
        transient={},
        per_tenant={"networks": 1, "ports": 0},
    )
    assert needs == {"networks": 1 + 4, "subnets": 7}  # ceil(10/3), ceil(20/3)


def test_peak_counts_what_iterations_delete_only_while_they_are_in_flight():
    needs = peak(
        times=10,
        concurrency=4,
        tenants=3,
        kept={"networks": 1},
        transient={"subnets": 2},
        per_tenant={},
    )
    assert needs == {"networks": 4, "subnets": 3}  # ceil(10/3), ceil(4 * 2/3)
    assert peak(
        times=3, concurrency=50, tenants=1, kept={}, transient={"ports": 1}, per_tenant={}
    ) == {"ports": 3}


def test_peak_without_a_known_count_keeps_the_contexts_and_in_flight_shares():
    needs = peak(
        times=None,
        concurrency=2,
        tenants=1,
        kept={"volumes": 1},
        transient={"snapshots": 1},
        per_tenant={"volumes": 2},
    )
    assert needs == {"volumes": 2, "snapshots": 2}


def volume_peaks(cls, *, times, concurrency, tenants=1, size=1):
    use = cls.quota_use(cls.Config.model_validate({"size": size}))
    return service_peaks(use, {}, times=times, concurrency=concurrency, tenants=tenants)


def test_deleted_volumes_at_concurrency_50_exceed_a_quota_of_10():
    peaks = volume_peaks(CreateAndDeleteVolume, times=200, concurrency=50, size=2)
    assert peaks == {"cinder": {"volumes": 50, "gigabytes": 100}}
    found = exceeded("cinder", peaks["cinder"], {"volumes": 10, "gigabytes": -1}, {})
    assert [str(s) for s in found] == [
        "cinder quota volumes: the run needs 50 per project, the limit is 10 with 0 in use"
    ]


def test_deleted_volumes_fit_when_concurrency_is_within_the_quota():
    peaks = volume_peaks(CreateAndDeleteVolume, times=200, concurrency=10)
    assert exceeded("cinder", peaks["cinder"], {"volumes": 10}, {}) == []


def test_kept_volumes_count_every_iteration():
    assert volume_peaks(CreateVolume, times=30, concurrency=2, tenants=2) == {
        "cinder": {"volumes": 15, "gigabytes": 15}
    }


def test_service_peaks_adds_contexts_and_leaves_unused_services_out():
    use = QuotaUse.of("neutron", keeps=False, security_groups=1)
    peaks = service_peaks(use, {"cinder": {"volumes": 2}}, times=None, concurrency=5, tenants=1)
    assert peaks == {"cinder": {"volumes": 2}, "neutron": {"security_groups": 5}}
    assert service_peaks(QuotaUse(), {}, times=5, concurrency=5, tenants=1) == {}


def test_quota_uses_add_up_by_service_and_resource():
    total = QuotaUse.of("cinder", keeps=True, volumes=1, backups=0) + QuotaUse.of(
        "cinder", keeps=True, volumes=2
    )
    assert total == QuotaUse(kept={"cinder": {"volumes": 3}})


def test_exceeded_names_the_service():
    found = exceeded("cinder", {"volumes": 3, "gigabytes": 3}, {"volumes": 2, "gigabytes": -1}, {})
    assert [str(s) for s in found] == [
        "cinder quota volumes: the run needs 3 per project, the limit is 2 with 0 in use"
    ]


def test_context_copies_add_up_and_are_sized_kept_or_transient():
    use = QuotaUse.copies(keeps=True, count=1) + QuotaUse.copies(keeps=False, count=2)
    assert use.context_copies == (1, 2)
    assert use.sized(4) == QuotaUse(
        kept={"cinder": {"gigabytes": 4}}, transient={"cinder": {"gigabytes": 8}}
    )


def test_router_interface_ports_count_only_toward_a_ports_quota_the_workload_creates():
    routers = {"routers": 1, "router_interface_ports": 2}
    # neutron does not check the ports quota when it adds an interface: a run that only
    # adds interfaces never fails on it
    assert peak(times=10, concurrency=1, tenants=1, kept=routers, transient={}, per_tenant={}) == {
        "routers": 10
    }
    # ... but they take room from the ports the workload creates itself
    assert peak(
        times=10,
        concurrency=1,
        tenants=1,
        kept={**routers, "ports": 1},
        transient={},
        per_tenant={},
    ) == {"routers": 10, "ports": 30}


def test_a_new_projects_default_security_group_counts_when_the_workload_makes_groups():
    default = {"neutron": {"default_security_groups": 1, "default_security_group_rules": 4}}
    groups = QuotaUse.of("neutron", keeps=True, security_groups=1, security_group_rules=3)
    assert service_peaks(groups, default, times=5, concurrency=1, tenants=1) == {
        "neutron": {"security_groups": 6, "security_group_rules": 19}
    }
    networks = QuotaUse.of("neutron", keeps=True, networks=1)
    assert service_peaks(networks, default, times=5, concurrency=1, tenants=1) == {
        "neutron": {"networks": 5}
    }
    assert service_peaks(QuotaUse(), default, times=5, concurrency=1, tenants=1) == {}


def test_own_networks_are_kept_unless_the_tenants_have_context_networks():
    use = QuotaUse.of("neutron", keeps=False, subnets=2) + QuotaUse.own_network()
    assert use.own_networks == 1
    assert use.sized(3).networked(False) == QuotaUse(
        kept={"neutron": {"networks": 1}}, transient={"neutron": {"subnets": 2}}
    )
    assert use.networked(True) == QuotaUse(transient={"neutron": {"subnets": 2}})
