"""What scenarios and contexts declare they hold, for preflight's quota check."""

from squall.contexts.openstack.allow_ssh import AllowSSHContext
from squall.contexts.openstack.network import NetworkContext
from squall.contexts.openstack.users import UsersContext
from squall.contexts.openstack.volumes import VolumesContext
from squall.openstack.quota import QuotaUse
from squall.scenarios.openstack.cinder_volume_backups import CreateIncrementalVolumeBackup
from squall.scenarios.openstack.cinder_volumes import (
    CreateAndDeleteSnapshot,
    CreateAndDeleteVolume,
    CreateAndExtendVolume,
    CreateAndListSnapshots,
    CreateVolume,
    CreateVolumeAndClone,
    CreateVolumeFromSnapshot,
)
from squall.scenarios.openstack.cinder_volumes_more import (
    CreateAndRestoreVolumeBackup,
    CreateNestedSnapshotsAndAttachVolume,
    CreateSnapshotAndAttachVolume,
    CreateVolumeBackup,
)
from squall.scenarios.openstack.neutron_bind_ports import CreateAndBindPorts
from squall.scenarios.openstack.neutron_networks import (
    AssociateAndDissociateFloatingIps,
    CreateAndDeleteFloatingIps,
    CreateAndDeleteNetworks,
    CreateAndDeletePorts,
    CreateAndDeleteRouters,
    CreateAndDeleteSubnets,
    CreateAndListFloatingIps,
    CreateAndListPorts,
    CreateAndListRouters,
    CreateAndListSubnets,
    CreateAndShowSubnets,
)
from squall.scenarios.openstack.neutron_security_groups import (
    CreateAndDeleteSecurityGroupRule,
    CreateAndDeleteSecurityGroups,
    CreateAndListSecurityGroupRules,
    CreateAndListSecurityGroups,
    CreateAndShowSecurityGroupRule,
)
from squall.scenarios.openstack.neutron_trunks import (
    BootServerAndBatchAddSubports,
    BootServerWithSubports,
    CreateAndListTrunks,
)
from squall.scenarios.openstack.nova_servers_more import BootServerAndAttachInterface


def use(cls, **args):
    return cls.quota_use(cls.Config.model_validate(args))


def kept(service, **counts):
    return QuotaUse(kept={service: counts})


def transient(service, **counts):
    return QuotaUse(transient={service: counts})


def own_network(use):
    """``use`` with the iteration's own network, made when no context gives one."""
    return use + QuotaUse.own_network()


def test_kept_neutron_resources_follow_the_arguments():
    assert use(CreateAndListSubnets, subnets_per_network=3) == kept(
        "neutron", networks=1, subnets=3
    )
    assert use(CreateAndListRouters, subnets_per_network=2) == kept(
        "neutron", networks=1, subnets=2, routers=2, router_interface_ports=2
    )
    assert use(CreateAndListPorts, ports_per_network=4) == own_network(kept("neutron", ports=4))


def test_without_a_network_context_subnets_and_ports_make_and_keep_a_network():
    assert use(CreateAndShowSubnets, subnets_per_network=2) == own_network(
        kept("neutron", subnets=2)
    )
    assert use(CreateAndDeleteSubnets).networked(False) == QuotaUse(
        kept={"neutron": {"networks": 1}}, transient={"neutron": {"subnets": 1}}
    )
    assert use(CreateAndDeletePorts).networked(True) == transient("neutron", ports=1)


def test_what_an_iteration_deletes_is_held_while_it_runs():
    assert use(CreateAndDeleteNetworks) == transient("neutron", networks=1)
    assert use(CreateAndDeletePorts, ports_per_network=2) == own_network(
        transient("neutron", ports=2)
    )
    assert use(CreateAndDeleteSubnets, subnets_per_network=2) == own_network(
        transient("neutron", subnets=2)
    )
    assert use(CreateAndDeleteVolume, size=5) == transient("cinder", volumes=1, gigabytes=5)


def test_routers_and_their_interfaces_deleted_on_a_kept_network():
    assert use(CreateAndDeleteRouters, subnets_per_network=2) == QuotaUse(
        kept={"neutron": {"networks": 1, "subnets": 2}},
        transient={"neutron": {"routers": 2, "router_interface_ports": 2}},
    )


def test_security_groups_and_floating_ips():
    assert use(CreateAndListSecurityGroups) == kept(
        "neutron", security_groups=1, security_group_rules=2
    )
    assert use(CreateAndDeleteSecurityGroups) == transient(
        "neutron", security_groups=1, security_group_rules=2
    )
    assert use(CreateAndListFloatingIps) == kept("neutron", floating_ips=1)
    assert use(CreateAndDeleteFloatingIps) == transient("neutron", floating_ips=1)
    assert use(AssociateAndDissociateFloatingIps) == kept(
        "neutron",
        floating_ips=1,
        networks=1,
        subnets=1,
        ports=1,
        routers=1,
        router_interface_ports=1,
    )


def test_security_group_rules_add_to_the_groups_egress_rules():
    assert use(CreateAndListSecurityGroupRules, security_group_rules_count=5) == kept(
        "neutron", security_groups=1, security_group_rules=7
    )
    assert use(CreateAndShowSecurityGroupRule) == kept(
        "neutron", security_groups=1, security_group_rules=3
    )
    assert use(CreateAndDeleteSecurityGroupRule) == transient(
        "neutron", security_groups=1, security_group_rules=3
    )


def test_trunks_keep_their_ports_and_networks():
    assert use(CreateAndListTrunks, subport_count=3) == kept(
        "neutron", trunk=1, ports=4, networks=1
    )
    boot = {"flavor": "m1.nano", "image": "cirros"}
    assert use(BootServerWithSubports, subport_count=2, **boot) == kept(
        "neutron", trunk=1, ports=3, networks=3, subnets=3
    )
    assert use(BootServerAndBatchAddSubports, subports_per_batch=2, batches=3, **boot) == kept(
        "neutron", trunk=1, ports=7, networks=7, subnets=7
    )
    assert BootServerWithSubports.keeps_servers  # nova counts every iteration's server


def test_bound_ports_and_attached_interfaces_are_kept():
    assert use(CreateAndBindPorts, ports_per_network=3) == kept("neutron", subnets=2, ports=3)
    assert use(BootServerAndAttachInterface, flavor="m1.nano", image="cirros") == own_network(
        kept("neutron", subnets=1, ports=1)
    )


def test_kept_volumes_count_their_smallest_size():
    assert use(CreateVolume, size=5) == kept("cinder", volumes=1, gigabytes=5)
    assert use(CreateVolume, size={"min": 2, "max": 9}) == kept("cinder", volumes=1, gigabytes=2)
    assert use(CreateVolumeAndClone, size=2, nested_level=2) == kept(
        "cinder", volumes=3, gigabytes=6
    )
    assert use(CreateAndExtendVolume, size=1, new_size=4) == transient(
        "cinder", volumes=1, gigabytes=4
    )


def test_snapshots_of_a_context_volume_count_its_size_once_the_context_is_known():
    assert use(CreateAndDeleteSnapshot).sized(5) == transient("cinder", snapshots=1, gigabytes=5)
    assert use(CreateAndListSnapshots).sized(5) == kept("cinder", snapshots=1, gigabytes=5)
    assert use(CreateVolumeFromSnapshot, do_delete=False).sized(5) == kept(
        "cinder", volumes=1, snapshots=1, gigabytes=10
    )
    # without a volumes context (size 0) only the counts remain
    assert use(CreateAndListSnapshots).sized(0) == kept("cinder", snapshots=1)


def test_snapshots_of_the_scenarios_own_volumes_count_toward_gigabytes():
    assert use(
        CreateNestedSnapshotsAndAttachVolume, size=2, nested_level=3, flavor="m1", image="cirros"
    ) == transient("cinder", volumes=3, gigabytes=12, snapshots=3)
    assert use(CreateSnapshotAndAttachVolume, size=3, flavor="m1", image="cirros") == transient(
        "cinder", volumes=1, gigabytes=6, snapshots=1
    )


def test_backups_are_kept_when_do_delete_is_false():
    assert use(CreateVolumeBackup, size=1) == transient("cinder", volumes=1, gigabytes=1, backups=1)
    assert use(CreateVolumeBackup, size=1, do_delete=False) == kept(
        "cinder", volumes=1, gigabytes=1, backups=1
    )
    assert use(CreateIncrementalVolumeBackup, size=3) == transient(
        "cinder", volumes=1, gigabytes=3, backups=2
    )


def test_a_restored_volume_is_kept_whatever_do_delete_says():
    assert use(CreateAndRestoreVolumeBackup, size=2) == QuotaUse(
        kept={"cinder": {"volumes": 1, "gigabytes": 2}},
        transient={"cinder": {"volumes": 1, "gigabytes": 2, "backups": 1}},
    )


def test_contexts_count_per_tenant():
    volumes = VolumesContext.Config.model_validate({"size": 3, "volumes_per_tenant": 2})
    assert VolumesContext.quota_use(volumes) == {"cinder": {"volumes": 2, "gigabytes": 6}}
    network = NetworkContext.Config.model_validate(
        {"networks_per_tenant": 2, "subnets_per_network": 2}
    )
    assert NetworkContext.quota_use(network) == {"neutron": {"networks": 2, "subnets": 4}}


def test_a_network_context_router_counts_when_its_gateway_is_given():
    network = NetworkContext.Config.model_validate(
        {
            "networks_per_tenant": 2,
            "subnets_per_network": 3,
            "router": {"external_gateway_info": {"network_id": "ext"}},
        }
    )
    assert NetworkContext.quota_use(network) == {
        "neutron": {"networks": 2, "subnets": 6, "routers": 2, "router_interface_ports": 6}
    }


def test_security_groups_that_contexts_make_per_tenant():
    assert AllowSSHContext.quota_use(AllowSSHContext.Config()) == {
        "neutron": {"security_groups": 1, "security_group_rules": 4}
    }
    users = UsersContext.Config.model_validate({"tenants": 3})
    assert UsersContext.quota_use(users) == {
        "neutron": {"default_security_groups": 1, "default_security_group_rules": 4}
    }


def _nova_scenarios():
    from squall.plugins.families import Family
    from squall.plugins.loader import load_registry
    from squall.scenarios.openstack._nova import NovaScenario

    registry = load_registry()
    for name in sorted(registry.names(Family.SCENARIO)):
        cls = registry.get(Family.SCENARIO, name, object)
        if isinstance(cls, type) and issubclass(cls, NovaScenario):
            yield name, cls


def test_a_nova_scenario_that_does_not_delete_its_servers_declares_it_keeps_them():
    """Preflight counts ``times`` kept servers, or only those in flight: a scenario whose
    ``run`` deletes no server (Rally leaves them to the cleanup) must say it keeps them,
    and one that boots nothing must not count servers."""
    import inspect

    wrong = []
    for name, cls in _nova_scenarios():
        source = inspect.getsource(cls.run)
        boots = "boot" in source
        deletes = "delete_server" in source
        if cls.servers_per_iteration > 0 and not boots:
            wrong.append(f"{name}: counts servers it does not boot")
        elif cls.servers_per_iteration > 0 and boots and cls.keeps_servers == deletes:
            wrong.append(f"{name}: keeps_servers={cls.keeps_servers}, run deletes={deletes}")
    assert wrong == []
