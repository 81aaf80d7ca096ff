"""The disruptor and fault_injection hook actions check their arguments at load time."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from squall.hooks.actions.disruptor import DisruptorAction
from squall.hooks.actions.fault_injection import FaultInjection


def test_disruptor_action_names_one_valid_disruptor():
    cfg = DisruptorAction.parse_config({"network": {"interface": "eth0"}, "down": [1, 2]})
    assert cfg.plugin() == ("network", {"interface": "eth0"})
    assert (cfg.down.low, cfg.down.high) == (1, 2)
    with pytest.raises(ValidationError, match="exactly one disruptor"):
        DisruptorAction.parse_config({"down": 3})
    with pytest.raises(ValidationError, match="exactly one disruptor"):
        DisruptorAction.parse_config({"process": {"name": "a"}, "service": {"unit": "b"}})
    with pytest.raises(ValidationError, match="unknown disruptor plugin 'proces'"):
        DisruptorAction.parse_config({"proces": {"name": "a"}})
    with pytest.raises(ValidationError, match="interface"):
        DisruptorAction.parse_config({"network": {}})


def test_fault_injection_reads_its_sentence_at_load_time():
    cfg = FaultInjection.parse_config("restart memcached service on one node")
    assert cfg.translation().disruptor == "service"
    assert FaultInjection.parse_config({"action": "kill keystone service", "verify": True}).verify
    with pytest.raises(ValidationError, match="cannot read the fault"):
        FaultInjection.parse_config({"action": "do a barrel roll"})
