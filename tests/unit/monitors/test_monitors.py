"""Monitors: the sampling loop with a fake monitor, and each plugin's pure parts."""

from __future__ import annotations

import asyncio
import json
import threading
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from squall.hosts.inventory import Host, Inventory
from squall.monitors.base import Monitor, MonitorEnv, Probe, timed
from squall.monitors.host import HostMonitor
from squall.monitors.instance import InstanceMonitor
from squall.monitors.prometheus import PrometheusMonitor, parse_result
from squall.monitors.schedule import MonitorSet
from squall.monitors.services import service_probe


class Counting(Monitor):
    name = "counting"

    def __init__(self, config, fail_after=None):
        super().__init__(config)
        self.calls = 0
        self.started = self.stopped = False
        self.fail_after = fail_after
        self.enough = threading.Event()

    def start(self):
        self.started = True

    def stop(self):
        self.stopped = True

    def sample(self):
        self.calls += 1
        if self.calls >= 5:
            self.enough.set()
        if self.fail_after is not None and self.calls > self.fail_after:
            raise RuntimeError("probe broke")
        return [Probe("a", True, 0.01), Probe("b", self.calls % 2 == 0)]


def run_until_enough(monitor):
    got = []

    async def go():
        monitors = MonitorSet([monitor], got.extend)
        await monitors.start()
        await asyncio.to_thread(monitor.enough.wait, 30)
        await monitors.stop()
        return monitors

    return asyncio.run(go()), got


def test_samples_flow_with_labels_and_lateness():
    monitor = Counting(Counting.parse_config({"period": 0.05, "label": "fake"}))
    monitors, got = run_until_enough(monitor)
    assert monitor.started and monitor.stopped
    assert {s.target for s in got} == {"a", "b"} and {s.monitor for s in got} == {"fake"}
    assert all(s.lag >= 0 for s in got)
    assert len(got) == 2 * monitor.calls
    assert monitors.latest[("fake", "a")].ok


def test_a_monitor_that_raises_is_a_failed_sample():
    monitor = Counting(Counting.parse_config({"period": 0.05}), fail_after=2)
    monitors, got = run_until_enough(monitor)
    broken = [s for s in got if s.target == "*"]
    assert broken and "RuntimeError: probe broke" in broken[0].detail
    assert not monitors.all_ok()


def test_timed_probe():
    assert timed("x", lambda: None).ok
    failed = timed("x", lambda: 1 / 0)
    assert not failed.ok and failed.detail.startswith("ZeroDivisionError")


def test_prometheus_answers():
    vector = {"status": "success", "data": {"resultType": "vector", "result": [
        {"metric": {"job": "nova", "instance": "a"}, "value": [1, "3.5"]},
        {"metric": {}, "value": [1, "1"]},
    ]}}  # fmt: skip
    assert parse_result(json.dumps(vector).encode()) == [
        ("instance=a,job=nova", 3.5),
        ("value", 1.0),
    ]
    scalar = {"status": "success", "data": {"resultType": "scalar", "result": [1, "7"]}}
    assert parse_result(json.dumps(scalar).encode()) == [("scalar", 7.0)]
    with pytest.raises(ValueError, match="bad query"):
        parse_result(json.dumps({"status": "error", "error": "bad query"}).encode())


def test_prometheus_unreachable_is_a_failed_sample():
    cfg = PrometheusMonitor.parse_config({"url": "http://127.0.0.1:1", "query": "up", "timeout": 1})
    (probe,) = PrometheusMonitor(cfg).sample()
    assert not probe.ok and probe.target == "up"


def test_service_and_agent_states():
    up = SimpleNamespace(binary="nova-conductor", host="ctl", state="up", status="enabled")
    down = SimpleNamespace(binary="nova-compute", host="cmp1", state="down", status="enabled")
    agent = SimpleNamespace(
        agent_type="L3 agent", host="net1", is_alive=False, is_admin_state_up=True
    )
    assert service_probe("nova", up) == Probe("nova:nova-conductor@ctl", True)
    assert service_probe("cinder", down) == Probe(
        "cinder:nova-compute@cmp1", False, detail="down/enabled"
    )
    assert not service_probe("neutron", agent).ok


def test_instance_and_host_commands():
    ping = InstanceMonitor(
        InstanceMonitor.parse_config({"ping": ["10.0.0.5"], "netns": "ns1", "timeout": 0.3})
    )
    assert ping.ping_argv("10.0.0.5") == [
        "ip",
        "netns",
        "exec",
        "ns1",
        "ping",
        "-n",
        "-q",
        "-c",
        "1",
        "-W",
        "0.3",
        "10.0.0.5",
    ]
    with pytest.raises(ValidationError, match="ping or"):
        InstanceMonitor.parse_config({})
    inv = Inventory(hosts=(Host(name="a", roles=("ctl",)), Host(name="b")))
    unit = HostMonitor(
        HostMonitor.parse_config({"unit": "nova-api", "role": "ctl"}), MonitorEnv(inventory=inv)
    )
    assert unit.argv() == ["systemctl", "is-active", "--quiet", "nova-api"]
    assert [h.name for h in unit.hosts()] == ["a"]
    with pytest.raises(ValidationError, match="one of process or unit"):
        HostMonitor.parse_config({"process": "x", "unit": "y"})
