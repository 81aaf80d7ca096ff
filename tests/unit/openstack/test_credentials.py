import json

import pytest
import yaml

from squall.errors import ConfigError
from squall.openstack.credentials import (
    from_cloud_config,
    from_clouds_yaml,
    from_environ,
    from_rally_spec,
    parse_rally_spec,
    to_json,
)

ENV = {
    "OS_AUTH_URL": "https://keystone.example:5000/v3",
    "OS_USERNAME": "admin",
    "OS_PASSWORD": "s3cret",
    "OS_TENANT_NAME": "admin",
    "OS_USER_DOMAIN_NAME": "Users",
    "OS_REGION_NAME": "RegionTwo",
    "OS_ENDPOINT_TYPE": "internalURL",
    "OS_INSECURE": "true",
    "OS_CACERT": "/etc/ca.pem",
}


def test_os_variables_as_rally_reads_them():
    spec = from_environ(ENV)
    assert spec.auth_url == ENV["OS_AUTH_URL"]
    assert spec.region_name == "RegionTwo"
    assert spec.interface == "internal"
    assert spec.verify is False
    assert spec.cacert == "/etc/ca.pem"
    assert spec.admin is not None
    assert spec.admin.project_name == "admin"
    assert spec.admin.user_domain_name == "Users"
    assert spec.admin.project_domain_name == "Default"


def test_missing_os_variables_are_named():
    with pytest.raises(ConfigError) as err:
        from_environ({"OS_AUTH_URL": "http://x/v3", "OS_USERNAME": "a"})
    assert "OS_PASSWORD" in err.value.message and "OS_PROJECT_NAME" in err.value.message
    assert err.value.hint and "--cloud" in err.value.hint


EXISTING = {
    "auth_url": "http://127.0.0.1:5000/v3",
    "region_name": "RegionOne",
    "endpoint_type": "public",
    "https_insecure": False,
    "https_cacert": "",
    "admin": {"username": "admin", "password": "p", "tenant_name": "admin"},
    "users": [{"username": "u1", "password": "p1", "project_name": "p1", "user_domain_name": "D"}],
    "api_info": {"cinder": {"version": 3, "service_type": "volumev3"}},
}


@pytest.mark.parametrize(
    "raw",
    [
        {"openstack": EXISTING},
        {"existing@openstack": EXISTING},
        {"type": "ExistingCloud", "creds": {"openstack": EXISTING}},
        {"type": "ExistingCloud", **EXISTING},
        EXISTING,
    ],
    ids=["env-v2", "existing@openstack", "deployment-creds", "old-deployment", "bare"],
)
def test_every_rally_spec_shape(raw):
    spec = parse_rally_spec(raw, source="dep.json")
    assert spec.auth_url == EXISTING["auth_url"]
    assert spec.admin is not None and spec.admin.project_name == "admin"
    assert [u.username for u in spec.users] == ["u1"]
    assert spec.users[0].user_domain_name == "D"
    assert spec.api_versions == {"cinder": "3"}
    assert spec.cacert is None and spec.verify is True


def test_rally_spec_without_auth_url_is_an_error():
    with pytest.raises(ConfigError, match="auth_url"):
        parse_rally_spec({"openstack": {"admin": {}}})


def test_rally_spec_file_json_and_yaml(tmp_path):
    path = tmp_path / "existing.json"
    path.write_text(json.dumps({"openstack": EXISTING}))
    assert from_rally_spec(path).region_name == "RegionOne"
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError, match="cannot read"):
        from_rally_spec(missing)


def test_clouds_yaml_entry_keeps_other_auth_options():
    spec = from_cloud_config(
        "mine",
        {
            "auth_type": "v3applicationcredential",
            "auth": {
                "auth_url": "http://k/v3",
                "application_credential_id": "id1",
                "application_credential_secret": "sec",
            },
            "region_name": "R",
            "interface": "admin",
            "verify": False,
        },
    )
    assert spec.admin is not None
    assert spec.admin.auth_type == "v3applicationcredential"
    assert spec.admin.auth_dict(spec.auth_url)["application_credential_id"] == "id1"
    assert spec.interface == "admin" and spec.verify is False and spec.label == "mine/R"


def test_the_record_of_a_spec_has_no_secrets():
    spec = from_environ(ENV)
    text = to_json(spec)
    assert "s3cret" not in text and "admin@admin" in text
    assert "s3cret" not in repr(spec)


def test_os_client_config_file_names_the_clouds_yaml_to_read(tmp_path, monkeypatch):
    path = tmp_path / "clouds.yaml"
    cloud = {
        "auth": {"auth_url": "https://k:5000/v3", "username": "u", "password": "p"},
        "cacert": "/etc/ca.pem",
        "verify": True,
    }
    path.write_text(
        yaml.safe_dump({"clouds": {"only-here": cloud, "insecure": {**cloud, "verify": False}}})
    )
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    spec = from_clouds_yaml("only-here")
    assert (spec.auth_url, spec.cacert, spec.verify) == ("https://k:5000/v3", "/etc/ca.pem", True)
    assert from_clouds_yaml("insecure").verify is False
    with pytest.raises(ConfigError) as missing:
        from_clouds_yaml("nowhere")
    assert missing.value.hint and "only-here" in missing.value.hint


def test_endpoint_overrides_of_a_clouds_yaml_entry_are_kept():
    cfg = {
        "auth": {"auth_url": "https://k/v3", "username": "u", "password": "p"},
        "compute_endpoint_override": "http://127.0.0.1:9999/v2.1",
        "block_storage_endpoint_override": None,
    }
    spec = from_cloud_config("c", cfg)
    assert spec.endpoint_overrides == {"compute": "http://127.0.0.1:9999/v2.1"}
