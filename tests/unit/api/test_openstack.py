"""What a run stores about its clouds (no credentials), and runs without one."""

from squall.api.openstack import environment_cloud
from squall.openstack.cloud import OpenStackEnv
from squall.openstack.credentials import CloudSpec, Credential

URL = "http://127.0.0.1:9/v3"  # never contacted


def test_the_run_clouds_are_stored_primary_first_without_credentials():
    admin = Credential(username="admin", password="secret-password", project_name="admin")
    env = OpenStackEnv(
        clouds=[
            CloudSpec(name="west", auth_url=URL, region_name="Two", admin=admin),
            CloudSpec(name="east", auth_url=URL),
        ]
    )
    stored = environment_cloud(["something else", env])
    assert stored == {
        "name": "west/Two",
        "clouds": [
            {"name": "west/Two", "region": "Two", "auth_url": URL},
            {"name": "east", "region": None, "auth_url": URL},
        ],
    }
    assert "secret-password" not in repr(stored)


def test_a_run_without_clouds_stores_none():
    assert environment_cloud([]) == {}
