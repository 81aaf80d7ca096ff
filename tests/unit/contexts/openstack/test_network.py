import itertools

import pytest

from squall.contexts.openstack.network import NetworkContext, cidrs, gateway
from squall.errors import ConfigError
from squall.testing.cloud import FakeCloud


def test_cidrs_follow_each_other_from_start():
    assert list(itertools.islice(cidrs("10.2.0.0/24"), 3)) == [
        "10.2.0.0/24",
        "10.2.1.0/24",
        "10.2.2.0/24",
    ]
    assert next(cidrs("10.2.0.7/24")) == "10.2.0.0/24"


def test_bad_start_cidr_is_a_config_error():
    with pytest.raises(ConfigError, match="start_cidr"):
        next(cidrs("10.2.0.0/33"))


def test_rally_arguments_are_accepted():
    cfg = NetworkContext.parse_config(
        {"start_cidr": "10.0.0.0/16", "networks_per_tenant": 2, "router": {"external": False}}
    )
    assert isinstance(cfg, NetworkContext.Config)
    assert cfg.networks_per_tenant == 2 and cfg.router.external is False


def config(**router):
    return NetworkContext.Config.model_validate({"subnets_per_network": 2, "router": router})


def test_the_gateway_is_the_one_given_else_on_the_external_network_unless_told_not_to():
    given = {"network_id": "mine"}
    assert gateway(config(external_gateway_info=given).router, "ext") == given
    assert gateway(config(enable_snat=False).router, "ext") == {
        "network_id": "ext",
        "enable_snat": False,
    }
    assert gateway(config().router, None) is None
    assert gateway(config(external=False).router, "ext") is None


def test_preflight_counts_the_router_setup_makes_on_the_clouds_external_network():
    cloud = FakeCloud()
    routed = {"networks": 1, "subnets": 2, "routers": 1, "router_interface_ports": 2}
    unrouted = {"networks": 1, "subnets": 2}
    # no external network: no router
    assert NetworkContext.quota_use(NetworkContext.for_cloud(config(), cloud)) == {
        "neutron": unrouted
    }
    public = cloud.network.create_network(name="public", is_router_external=True)
    cloud.network.create_subnet(name="public-subnet", network_id=public.id)
    as_set_up = NetworkContext.for_cloud(config(), cloud)
    assert as_set_up.router.external_gateway_info == {"network_id": public.id}
    assert NetworkContext.quota_use(as_set_up) == {"neutron": routed}
    assert NetworkContext.quota_use(NetworkContext.for_cloud(config(external=False), cloud)) == {
        "neutron": unrouted
    }
