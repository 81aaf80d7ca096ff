from squall.contexts.openstack.cloud import CloudChoice


def test_the_cloud_context_takes_a_bare_name_or_a_mapping():
    assert CloudChoice.model_validate("west/Two").name == "west/Two"
    assert CloudChoice.model_validate({"name": "east"}).name == "east"
