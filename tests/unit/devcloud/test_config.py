from pathlib import Path

import pytest

from squall.devcloud.config import (
    BUNDLED_CONSTRAINTS,
    DevcloudConfig,
    Ports,
    default_directory,
    load_config,
    parse_port_overrides,
)
from squall.errors import DevcloudError


def test_defaults_are_devstack_ports_and_two_computes():
    config = load_config(env={})
    assert config.ports.keystone == 5000
    assert config.ports.nova == 8774
    assert config.computes == 2
    assert config.directory == default_directory()
    assert config.constraints.name == "constraints.txt"
    assert config.constraints.is_file()
    assert config.auth_url == "http://127.0.0.1:5000/v3"


def test_environment_sets_directory_computes_and_offset(tmp_path):
    env = {
        "SQUALL_DEVCLOUD_DIR": str(tmp_path / "dc"),
        "SQUALL_DEVCLOUD_COMPUTES": "3",
        "SQUALL_DEVCLOUD_PORT_OFFSET": "10000",
    }
    config = load_config(env=env)
    assert config.directory == tmp_path / "dc"
    assert config.computes == 3
    assert config.ports.keystone == 15000
    assert config.ports.rabbitmq_dist == 35672


def test_explicit_values_win_over_environment(tmp_path):
    env = {"SQUALL_DEVCLOUD_DIR": "/nowhere", "SQUALL_DEVCLOUD_COMPUTES": "5"}
    config = load_config(directory=tmp_path, computes=2, env=env)
    assert config.directory == tmp_path
    assert config.computes == 2


def test_fewer_than_two_computes_is_refused():
    with pytest.raises(DevcloudError, match="computes"):
        load_config(computes=1, env={})


def test_bad_integer_in_environment_names_the_variable():
    with pytest.raises(DevcloudError, match="SQUALL_DEVCLOUD_COMPUTES"):
        load_config(env={"SQUALL_DEVCLOUD_COMPUTES": "two"})


def test_port_overrides_are_parsed_and_checked():
    assert parse_port_overrides(["keystone=15000", " nova = 18774"]) == {
        "keystone": 15000,
        "nova": 18774,
    }
    with pytest.raises(DevcloudError, match="NAME=PORT"):
        parse_port_overrides(["keystone"])
    with pytest.raises(DevcloudError, match="unknown devcloud port name: horizon"):
        load_config(ports={"horizon": 80}, env={})


def test_shared_ports_are_refused():
    with pytest.raises(DevcloudError, match="share a port"):
        load_config(ports={"glance": 5000}, env={})


def test_port_out_of_range_is_refused():
    with pytest.raises(DevcloudError, match="between 1 and 65535"):
        load_config(port_offset=70000, env={})


def test_rabbit_node_differs_per_directory():
    one = DevcloudConfig(directory=Path("/a"))
    two = DevcloudConfig(directory=Path("/b"))
    assert one.rabbit_node != two.rabbit_node
    assert one.rabbit_node.endswith("@localhost")


def test_compute_hosts_are_distinct():
    assert DevcloudConfig(computes=3).compute_hosts() == [
        "devcloud-compute1",
        "devcloud-compute2",
        "devcloud-compute3",
    ]


def test_ports_shift_keeps_every_name():
    assert set(Ports().shifted(1).model_dump()) == set(Ports.model_fields)


def test_settings_recorded_by_up_are_reused_unless_overridden(tmp_path):
    from squall.devcloud.state import State, save

    recorded = load_config(directory=tmp_path, port_offset=100, computes=3, env={})
    save(State(recorded))
    again = load_config(directory=tmp_path, env={})
    assert again == recorded
    assert load_config(directory=tmp_path, port_offset=0, env={}).ports == Ports()
    assert load_config(directory=tmp_path, ports={"nova": 18774}, env={}).ports.keystone == 5100
    assert load_config(directory=tmp_path, computes=2, env={}).computes == 2


def test_recorded_constraints_are_not_reused(tmp_path):
    from squall.devcloud.state import State, save

    elsewhere = tmp_path / "old-checkout-constraints.txt"
    save(State(load_config(directory=tmp_path, constraints=elsewhere, env={})))
    assert load_config(directory=tmp_path, env={}).constraints == BUNDLED_CONSTRAINTS
