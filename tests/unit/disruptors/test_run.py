"""Carrying faults out over a host group: waves, repetitions, events, journal, quorum."""

from __future__ import annotations

import random
import sys
from typing import ClassVar

import pytest

from squall.disruptors.actions import CommandCheck, RunCommand
from squall.disruptors.base import Disruptor, FaultPlan, TargetConfig
from squall.disruptors.journal import FaultJournal
from squall.disruptors.run import Fault, Schedule, disrupt, plans
from squall.errors import ConfigError, FaultError
from squall.hosts.inventory import Host, Inventory

HOSTS = Inventory(
    hosts=tuple(Host(name=f"h{i}", roles=("ctl",), services=("galera",)) for i in range(3)),
    quorum=("galera",),
)


def py(code: str) -> tuple[str, ...]:
    return (sys.executable, "-c", code)


class Touch(Disruptor):
    """Appends its host's name to a log file on inject and restore."""

    name: ClassVar[str] = "touch"

    class Config(TargetConfig):
        log: str
        fail_inject: bool = False

    def plan(self, host):
        cfg = self.config
        write = f"open({cfg.log!r}, 'a').write('{{}} {host.name}\\n')"
        inject = py("raise SystemExit(3)") if cfg.fail_inject else py(write.format("in"))
        restore = RunCommand(host=host, argv=py(write.format("out")))
        return FaultPlan(
            disruptor="touch",
            target=host.name,
            inject=(RunCommand(host=host, argv=inject),),
            verify=(CommandCheck(host=host, argv=py("pass")),),
            restore=(restore,),
            undo=(restore,),
        )


def touch(tmp_path, **cfg):
    return Touch(Touch.Config(log=str(tmp_path / "log"), **cfg))


def test_rolling_hits_each_host_in_turn_times_over(tmp_path):
    events = []
    outcomes = disrupt(
        touch(tmp_path, role="ctl", mode="rolling"),
        Schedule(mode="rolling", times=2),
        FaultJournal(tmp_path / "j"),
        inventory=HOSTS,
        sink=events.append,
    )
    assert len(outcomes) == 6 and all(o.ok for o in outcomes)
    lines = (tmp_path / "log").read_text().split("\n")[:-1]
    assert lines == [f"{p} h{i}" for _ in range(2) for i in range(3) for p in ("in", "out")]
    assert [e.phase for e in events[:3]] == ["inject", "effect", "restore"]
    assert FaultJournal(tmp_path / "j").pending() == []


def test_all_at_once_is_one_wave_and_guarded_by_quorum(tmp_path):
    d = touch(tmp_path, on_service="galera", mode="all")
    with pytest.raises(ConfigError, match="loses its quorum"):
        plans(d, HOSTS, "all", random.Random(1))
    allowed = touch(tmp_path, on_service="galera", mode="all", allow_quorum_loss=True)
    (wave,) = plans(allowed, HOSTS, "all", random.Random(1))
    assert [p.target for p in wave] == ["h0", "h1", "h2"]
    (one,) = plans(touch(tmp_path, on_service="galera"), HOSTS, "one", random.Random(1))
    assert [p.target for p in one] == ["h0"]


def test_a_failed_inject_is_restored_and_reported(tmp_path):
    journal = FaultJournal(tmp_path / "j")
    fault = Fault(touch(tmp_path, host="h1", fail_inject=True).plan(HOSTS.get("h1")), journal)
    with pytest.raises(FaultError, match="exited 3"):
        fault.inject()
    assert [(e.phase, e.ok) for e in fault.outcome.events] == [("inject", False), ("restore", True)]
    assert (tmp_path / "log").read_text() == "out h1\n"
    assert journal.pending() == []
