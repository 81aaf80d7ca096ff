"""What scenarios and contexts declare they create, for preflight's quota check."""

from squall.contexts.openstack.network import NetworkContext
from squall.contexts.openstack.volumes import VolumesContext
from squall.scenarios.openstack.cinder_volumes import CreateAndDeleteVolume, CreateVolume
from squall.scenarios.openstack.neutron_networks import (
    CreateAndDeleteNetworks,
    CreateAndListPorts,
    CreateAndListRouters,
    CreateAndListSubnets,
)


def use(cls, **args):
    return cls.quota_use(cls.Config.model_validate(args))


def test_kept_neutron_resources_follow_the_arguments():
    assert use(CreateAndListSubnets, subnets_per_network=3) == {
        "neutron": {"networks": 1, "subnets": 3}
    }
    assert use(CreateAndListRouters) == {"neutron": {"networks": 1, "subnets": 1, "routers": 1}}
    assert use(CreateAndListPorts, ports_per_network=4) == {"neutron": {"ports": 4}}


def test_what_an_iteration_deletes_is_not_counted():
    assert use(CreateAndDeleteNetworks) == {}
    assert use(CreateAndDeleteVolume, size=5) == {}


def test_kept_volumes_count_their_smallest_size():
    assert use(CreateVolume, size=5) == {"cinder": {"volumes": 1, "gigabytes": 5}}
    assert use(CreateVolume, size={"min": 2, "max": 9}) == {
        "cinder": {"volumes": 1, "gigabytes": 2}
    }


def test_contexts_count_per_tenant():
    volumes = VolumesContext.Config.model_validate({"size": 3, "volumes_per_tenant": 2})
    assert VolumesContext.quota_use(volumes) == {"cinder": {"volumes": 2, "gigabytes": 6}}
    network = NetworkContext.Config.model_validate(
        {"networks_per_tenant": 2, "subnets_per_network": 2}
    )
    assert NetworkContext.quota_use(network) == {"neutron": {"networks": 2, "subnets": 4}}
