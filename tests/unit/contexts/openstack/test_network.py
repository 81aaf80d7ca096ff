import itertools

import pytest

from squall.contexts.openstack.network import NetworkContext, cidrs
from squall.errors import ConfigError


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
