"""Which cloud an OpenStack monitor probes: one of the run's, named like the ``cloud`` context."""

import pytest

from squall.errors import ConfigError
from squall.monitors._openstack import monitor_cloud
from squall.monitors.base import MonitorEnv
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import CloudSpec

URL = "http://127.0.0.1:9/v3"  # never contacted: choosing a cloud opens no session


def run_env() -> MonitorEnv:
    clouds = [
        CloudSpec(name="east", auth_url=URL),
        CloudSpec(name="west", auth_url=URL, region_name="Two"),
    ]
    return MonitorEnv(items=[OpenStackEnv(clouds=clouds)])


def test_without_a_cloud_the_monitor_probes_the_primary():
    assert monitor_cloud(None, run_env()).label == "east"


@pytest.mark.parametrize("name", ["west", "west/Two"])
def test_a_monitor_names_any_cloud_of_the_run(name):
    assert monitor_cloud(name, run_env()).label == "west/Two"


def test_a_cloud_the_run_lacks_is_an_error_naming_the_run_clouds():
    with pytest.raises(ConfigError) as info:
        monitor_cloud("north", run_env())
    assert info.value.message == "monitor cloud 'north' is not a cloud of this run"
    assert info.value.hint == "this run has: east, west/Two"


def test_a_run_without_clouds_needs_one_named():
    with pytest.raises(ConfigError) as info:
        monitor_cloud(None, MonitorEnv())
    assert "needs a cloud" in info.value.message
