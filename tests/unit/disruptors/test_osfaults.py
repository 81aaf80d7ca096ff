"""os-faults human API sentences become squall disruptor configs."""

from __future__ import annotations

import pytest

from squall.disruptors.osfaults import Translation, translate
from squall.errors import ConfigError


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "restart memcached service on one node",
            Translation("service", {"unit": "memcached", "action": "restart", "mode": "one"}),
        ),
        (
            "kill nova-api service on all nodes",
            Translation("process", {"name": "nova-api", "action": "kill", "mode": "all"}),
        ),
        (
            "freeze rabbitmq service on random node for 10 seconds",
            Translation(
                "process", {"name": "rabbitmq", "action": "freeze", "mode": "random"}, 10.0
            ),
        ),
        (
            "terminate keystone service",
            Translation("service", {"unit": "keystone", "action": "stop", "mode": "all"}),
        ),
        (
            "restart neutron_api container on single node",
            Translation(
                "container", {"container": "neutron_api", "action": "restart", "mode": "one"}
            ),
        ),
        (
            "kill mysql service on node-1.domain.tld node",
            Translation(
                "process",
                {"name": "mysql", "action": "kill", "host": "node-1.domain.tld", "mode": "one"},
            ),
        ),
        (
            "reboot one node with mysql service",
            Translation("node", {"action": "reboot", "mode": "one", "on_service": "mysql"}),
        ),
        ("poweroff all nodes", Translation("node", {"action": "poweroff", "mode": "all"})),
        (
            "disconnect management network on all nodes with rabbitmq service for 5 seconds",
            Translation(
                "network",
                {
                    "action": "down",
                    "interface": "management",
                    "mode": "all",
                    "on_service": "rabbitmq",
                },
                5.0,
            ),
        ),
    ],
)
def test_sentences(sentence, expected):
    assert translate(sentence) == expected


def test_devcloud_service_names_use_the_devcloud_record():
    tr = translate("Kill  nova-api service on one node", devcloud_services=["nova-api"])
    assert tr == Translation("process", {"devcloud": "nova-api", "action": "kill", "mode": "one"})
    tr = translate("restart keystone service", devcloud_services=["keystone"])
    assert tr.args["action"] == "restart" and tr.args["devcloud"] == "keystone"


def test_bindings_decide_how_a_service_is_disrupted():
    bindings = {"galera": {"disruptor": "container", "container": "mariadb", "engine": "podman"}}
    tr = translate("restart galera service on one node", bindings=bindings)
    assert tr.disruptor == "container"
    assert tr.args == {
        "container": "mariadb",
        "engine": "podman",
        "mode": "one",
        "action": "restart",
    }


@pytest.mark.parametrize(
    ("sentence", "message"),
    [
        ("make coffee", "cannot read the fault"),
        ("unfreeze rabbitmq service on one node", "cannot unfreeze"),
        ("stress cpu for 10 seconds on all nodes", "cannot"),
        ("plug memcached service", "cannot plug"),
        ("poweron all nodes", "cannot poweron"),
    ],
)
def test_unsupported_sentences_are_explained(sentence, message):
    with pytest.raises(ConfigError, match=message) as info:
        translate(sentence)
    assert info.value.hint
