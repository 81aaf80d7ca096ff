"""The user-data the openstack provider gives each server (rendered without a cloud)."""

from __future__ import annotations

import base64
import os

import pytest

from squall.dataplane import topology
from squall.dataplane.bundle import build_bundle, bundle_signature_bytes
from squall.dataplane.plan import Plan
from squall.dataplane.providers.base import AgentLaunch
from squall.dataplane.providers.openstack import OpenStackProvider, agent_config
from squall.dataplane.run import controller_bind
from squall.errors import ConfigError
from squall.openstack.journal import MemoryJournal

RUN = "0123456789abcdef0123456789abcdef"


def _provider(tmp_path, **plan: object) -> OpenStackProvider:
    body = {"provider": "openstack", "tests": [{"name": "t", "tool": "iperf3"}], **plan}
    return OpenStackProvider(Plan.model_validate(body), RUN, tmp_path, MemoryJournal())


def _launch(tmp_path, bundle: bytes) -> AgentLaunch:
    (tmp_path / "agent.pyz").write_bytes(bundle)
    (tmp_path / "secret").write_text("the-secret\n")
    return AgentLaunch("http://192.0.2.7:7780", RUN, tmp_path / "secret", tmp_path / "agent.pyz", 9)


def test_each_server_gets_its_own_agent_config_and_the_signed_bundle(tmp_path):
    bundle = build_bundle(tmp_path / "b.pyz").read_bytes()
    provider = _provider(tmp_path)
    text = provider.user_data(
        "t0r0n0s0", "server", "t0r0n0", _launch(tmp_path, bundle), bundle, "the-secret"
    )
    config = agent_config(text)
    assert config["agent_id"] == "t0r0n0s0"
    assert config["controller"] == "http://192.0.2.7:7780"
    assert config["run"] == RUN
    assert config["register_timeout"] == 9
    assert config["labels"] == {"role": "server", "network": "t0r0n0"}
    assert bundle_signature_bytes(bundle, "the-secret") in text
    assert "apt-get install -y -qq --no-install-recommends python3 iperf3" in text
    embedded = text.split("<<'SQUALL_BUNDLE'\n", 1)[1].split("\nSQUALL_BUNDLE", 1)[0]
    assert base64.b64decode(embedded) == bundle


def test_a_bundle_too_large_for_nova_is_a_config_error(tmp_path):
    bundle = os.urandom(60_000)
    provider = _provider(tmp_path, openstack={"packages": []})
    with pytest.raises(ConfigError, match="does not fit in Nova's user-data"):
        provider.user_data("c", "client", "n", _launch(tmp_path, bundle), bundle, "s")


@pytest.mark.parametrize(
    ("controller", "expected"),
    [
        ({"listen": "192.0.2.7:7780"}, ("192.0.2.7", 7780)),
        ({"listen": "198.51.100.1:80", "bind": "0.0.0.0:7780"}, ("0.0.0.0", 7780)),
        ({"listen": "[2001:db8::1]:7780"}, ("2001:db8::1", 7780)),
        ({}, (None, 0)),
    ],
)
def test_the_controller_binds_listen_or_bind(controller, expected):
    plan = Plan.model_validate({"controller": controller, "tests": [{"name": "t", "tool": "ping"}]})
    assert controller_bind(plan) == expected


def test_a_controller_address_without_port_is_refused():
    plan = Plan.model_validate(
        {"controller": {"listen": "192.0.2.7"}, "tests": [{"name": "t", "tool": "ping"}]}
    )
    with pytest.raises(ConfigError, match="not host:port"):
        controller_bind(plan)


def test_preflight_refuses_custom_tests_too_large_for_user_data_before_any_cloud(tmp_path):
    custom = tmp_path / "custom"
    custom.mkdir()
    noise = base64.b64encode(os.urandom(60_000)).decode()
    (custom / "big.py").write_text(
        f"BLOB = {noise!r}\n\ndef run(target, args, duration):\n    return {{}}\n"
    )
    provider = _provider(
        tmp_path,
        custom_tests=str(custom),
        clouds={"server": "no-such-cloud"},  # never reached: the size check comes first
        controller={"listen": "192.0.2.7:7780"},
    )
    plan = provider.plan

    with pytest.raises(ConfigError, match="does not fit in Nova's user-data"):
        provider.preflight(topology.build(plan), set())
