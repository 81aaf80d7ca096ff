"""Inventories: squall YAML and Ansible INI/YAML become the same Host models."""

from __future__ import annotations

import pytest

from squall.errors import ConfigError
from squall.hosts.inventory import Host, load_inventory

SQUALL = """
hosts:
  ctl1: {address: 10.0.0.11, transport: ssh, user: root, roles: [controller],
         services: [galera, nova-api], jump: bastion, key_file: ~/.ssh/id_ed25519}
  ctl2: {address: 10.0.0.12, transport: ssh, roles: [controller], services: [galera]}
  bastion: {address: 192.0.2.1, transport: ssh, user: ops}
quorum: [galera]
"""

INI = """
# a kolla-style inventory
[control]
ctl1 ansible_host=10.0.0.11 squall_services=galera,nova-api
ctl2 ansible_host=10.0.0.12 ansible_port=2222

[compute]
cmp1 ansible_host=10.0.0.21 ansible_ssh_common_args='-J ops@192.0.2.1:2200'

[deployment]
localhost ansible_connection=local

[openstack:children]
control
compute

[all:vars]
ansible_user=kolla
ansible_become=true
"""

ANSIBLE_YAML = """
all:
  vars: {ansible_user: stack}
  children:
    control:
      hosts:
        ctl1: {ansible_host: 10.0.0.11}
    compute:
      hosts:
        cmp1: {ansible_host: 10.0.0.21, ansible_user: root}
"""


def write(tmp_path, text, name="inv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_squall_inventory(tmp_path):
    inv = load_inventory(write(tmp_path, SQUALL, "hosts.yaml"))
    ctl1 = inv.get("ctl1")
    assert ctl1.jump == "bastion" and ctl1.user == "root" and ctl1.transport == "ssh"
    assert [h.name for h in inv.matching(role="controller")] == ["ctl1", "ctl2"]
    assert [h.name for h in inv.matching(service="nova-api")] == ["ctl1"]
    assert inv.quorum == ("galera",)


def test_ansible_ini(tmp_path):
    inv = load_inventory(write(tmp_path, INI))
    ctl1, ctl2, cmp1, local = (inv.get(n) for n in ("ctl1", "ctl2", "cmp1", "localhost"))
    assert ctl1 == Host(
        name="ctl1", address="10.0.0.11", transport="ssh", user="kolla", sudo=True,
        roles=("control", "openstack"), services=("galera", "nova-api"),
    )  # fmt: skip
    assert ctl2.port == 2222
    assert cmp1.jump == "ops@192.0.2.1:2200" and cmp1.roles == ("compute", "openstack")
    assert local.transport == "local" and local.address == "127.0.0.1"


def test_ansible_yaml(tmp_path):
    inv = load_inventory(write(tmp_path, ANSIBLE_YAML, "inv.yml"))
    assert inv.get("ctl1").user == "stack" and inv.get("ctl1").roles == ("control",)
    assert inv.get("cmp1").user == "root" and inv.get("cmp1").address == "10.0.0.21"


def test_errors_name_the_place(tmp_path):
    with pytest.raises(ConfigError, match=r"hosts\.yaml: port"):
        load_inventory(write(tmp_path, "hosts: {a: {port: 0}}", "hosts.yaml"))
    with pytest.raises(ConfigError, match="line 2: expected key=value"):
        load_inventory(write(tmp_path, "[g]\nhost1 oops\n"))
    with pytest.raises(ConfigError, match="cannot read the inventory"):
        load_inventory(tmp_path / "missing")
    inv = load_inventory(write(tmp_path, SQUALL, "hosts.yaml"))
    with pytest.raises(ConfigError, match="no host 'nope'") as info:
        inv.get("nope")
    assert "ctl1" in (info.value.hint or "")
