import configparser
import json
import re
from pathlib import Path

import yaml

from squall.devcloud import render
from squall.devcloud.config import DevcloudConfig, Ports
from squall.devcloud.services import Probe, all_services


def _config(tmp_path: Path, **kw) -> DevcloudConfig:
    return DevcloudConfig(directory=tmp_path, **kw)


def _parse(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    return parser


def test_ini_renders_sections_and_booleans():
    text = render.ini({"DEFAULT": {"a": 1, "b": True}, "x": {"c": "d"}})
    assert text == "[DEFAULT]\na = 1\nb = true\n\n[x]\nc = d\n"


def test_every_file_parses_and_lives_in_the_directory(tmp_path):
    for path, text in render.files(_config(tmp_path)).items():
        assert path.is_relative_to(tmp_path)
        if path.suffix in (".conf", ".ini", ".cnf") and path.name != "rabbitmq.conf":
            _parse(text)
        if path.suffix == ".py":
            compile(text, str(path), "exec")


def test_nothing_listens_beyond_loopback(tmp_path):
    config = _config(tmp_path)
    everything = "\n".join(render.files(config).values())
    addresses = set(re.findall(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b", everything))
    assert addresses == {"127.0.0.1"}
    for service in all_services(config):
        joined = " ".join(service.argv)
        assert "0.0.0.0" not in joined
        if service.probe is Probe.HTTP:
            assert f"127.0.0.1:{service.port}" in joined


def test_each_compute_has_its_own_host_and_state_path(tmp_path):
    config = _config(tmp_path, computes=3)
    files = render.files(config)
    seen = set()
    for host in config.compute_hosts():
        parsed = _parse(files[tmp_path / "etc" / "nova" / f"{host}.conf"])
        seen.add((parsed["DEFAULT"]["host"], parsed["DEFAULT"]["state_path"]))
    assert len(seen) == 3
    computes = [s for s in all_services(config) if s.name.startswith("nova-compute")]
    assert [s.name for s in computes] == ["nova-compute1", "nova-compute2", "nova-compute3"]


def test_ports_reach_every_config(tmp_path):
    config = _config(tmp_path, ports=Ports().shifted(100))
    nova = _parse(render.nova_conf(config))
    assert nova["DEFAULT"]["transport_url"] == "rabbit://guest:guest@127.0.0.1:5772/"
    assert nova["database"]["connection"].endswith("@127.0.0.1:3406/nova")
    assert nova["keystone_authtoken"]["auth_url"] == "http://127.0.0.1:5100/v3"
    assert "127.0.0.1:5772" in render.rabbitmq_conf(config)
    assert "port = 3406" in render.mariadb_cnf(config)


def test_quotas_are_unlimited(tmp_path):
    config = _config(tmp_path)
    assert _parse(render.nova_conf(config))["quota"]["instances"] == "-1"
    assert _parse(render.neutron_conf(config))["quotas"]["quota_port"] == "-1"
    assert _parse(render.cinder_conf(config))["DEFAULT"]["quota_volumes"] == "-1"


DRIVERS = Path(render.__file__).with_name("drivers")


def test_neutron_uses_the_shipped_noop_driver_and_serves_trunks(tmp_path):
    assert _parse(render.ml2_conf())["ml2"]["mechanism_drivers"] == "squall_noop"
    project = (DRIVERS / "pyproject.toml").read_text()
    assert 'squall_noop = "squall_devcloud_drivers.ml2:NoopMechanismDriver"' in project
    plugins = _parse(render.neutron_conf(_config(tmp_path)))["DEFAULT"]["service_plugins"]
    assert plugins.split(",") == ["router", "trunk"]


def test_cinder_keeps_volumes_and_backups_in_the_devcloud_directory(tmp_path):
    cinder = _parse(render.cinder_conf(_config(tmp_path)))
    backend = cinder[cinder["DEFAULT"]["enabled_backends"]]
    module, _, cls = backend["volume_driver"].rpartition(".")
    assert (DRIVERS / (module.replace(".", "/") + ".py")).is_file()
    assert f"class {cls}(" in (DRIVERS / (module.replace(".", "/") + ".py")).read_text()
    assert Path(backend["file_volume_directory"]).is_relative_to(tmp_path / "data")
    assert cinder["DEFAULT"]["backup_driver"].endswith("PosixBackupDriver")
    assert Path(cinder["DEFAULT"]["backup_posix_path"]).is_relative_to(tmp_path / "data")
    assert int(cinder["DEFAULT"]["backup_file_size"]) % (32 * 1024) == 0  # whole sha blocks


def test_cinder_privsep_starts_its_helper_without_sudo(tmp_path):
    config = _config(tmp_path)
    cinder = _parse(render.cinder_conf(config))
    for section in ("cinder_sys_admin", "privsep_osbrick"):
        argv = cinder[section]["helper_command"].split()
        assert argv[0] == str(config.venv / "bin" / "privsep-helper")
        assert argv[1:] == ["--config-file", str(config.etc / "cinder" / "cinder.conf")]


def test_nova_loads_the_shipped_virt_driver_from_nova_virt(tmp_path):
    nova = _parse(render.nova_conf(_config(tmp_path)))
    module, _, cls = nova["DEFAULT"]["compute_driver"].rpartition(".")
    # nova imports "nova.virt.<compute_driver>": the package installs a module there
    shim = DRIVERS / "nova" / "virt" / f"{module}.py"
    assert f"import {cls}" in shim.read_text()
    assert f"nova.virt.{module}" in (DRIVERS / "pyproject.toml").read_text()


def test_nova_issues_vnc_consoles_on_loopback(tmp_path):
    vnc = _parse(render.nova_conf(_config(tmp_path)))["vnc"]
    assert vnc["enabled"] == "true"
    assert vnc["novncproxy_base_url"].startswith("http://127.0.0.1:")


def test_wsgi_wrappers_hide_gunicorn_arguments(tmp_path):
    text = render.wsgi_module(_config(tmp_path), "neutron")
    assert "sys.argv = ['neutron-api']" in text
    assert "OS_NEUTRON_CONFIG_FILES" in text
    assert "from neutron.wsgi.api import application" in text


def test_clouds_entries_for_admin_and_demo(tmp_path):
    entries = render.clouds_entries(_config(tmp_path))
    assert set(entries) == {"devcloud", "devcloud-demo"}
    auth = entries["devcloud"]["auth"]
    assert isinstance(auth, dict)
    assert auth["username"] == "admin"
    assert auth["auth_url"] == "http://127.0.0.1:5000/v3"
    json.dumps(entries)
    yaml.safe_dump(entries)


def test_env_exports_are_shell_safe(tmp_path):
    text = render.env_exports(_config(tmp_path, password="it's $ecret"), "demo")
    lines = text.splitlines()
    assert lines[0] == "unset OS_CLOUD"
    assert "export OS_USERNAME=demo" in lines
    assert "export OS_AUTH_URL=http://127.0.0.1:5000/v3" in lines
    assert "export OS_PASSWORD='it'\"'\"'s $ecret'" in lines


def test_database_sql_creates_every_database(tmp_path):
    sql = render.create_databases_sql(_config(tmp_path))
    for db in render.DATABASES:
        assert f"CREATE DATABASE IF NOT EXISTS {db};" in sql
    assert "'os'@'127.0.0.1'" in sql
