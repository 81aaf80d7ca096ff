"""The process disruptor against processes these tests start: kill, stop, freeze,
restart by command, pidfile; and a squall killed mid-fault undone by the journal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid

import pytest
from typer.testing import CliRunner

from squall.cli.faults import app
from squall.devcloud import procs
from squall.disruptors.journal import FaultJournal
from squall.disruptors.process import Process
from squall.disruptors.run import Fault, Schedule, disrupt
from squall.errors import FaultError
from squall.hosts.inventory import Host
from squall.hosts.select import Duration

pytestmark = pytest.mark.integration

LOCAL = Host(name="localhost")


@pytest.fixture
def sleeper():
    """A process with a command line nothing else has, with a child of its own."""
    tag = f"squall-test-{uuid.uuid4().hex[:8]}"
    code = f"import subprocess, time; subprocess.Popen(['sleep', '300']); time.sleep(300)  # {tag}"
    proc = subprocess.Popen([sys.executable, "-c", code])
    time.sleep(0.3)
    yield tag, proc
    for pid in procs.tree_pids(proc.pid):
        try:
            os.kill(pid, signal.SIGCONT)
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()


def process(**cfg):
    return Process(Process.parse_config(cfg))


def test_kill_by_name_takes_the_whole_tree(sleeper, tmp_path):
    tag, proc = sleeper
    plan = process(name=tag).plan(LOCAL)
    assert len(plan.inject[0].procs) == 2  # python and its sleep child
    fault = Fault(plan, FaultJournal(tmp_path / "j"))
    fault.inject()
    assert fault.verify(timeout=5)
    assert proc.wait(timeout=5) == -signal.SIGKILL
    fault.restore()
    assert [e.phase for e in fault.outcome.events] == ["inject", "effect", "restore"]
    assert FaultJournal(tmp_path / "j").pending() == []


def test_freeze_for_a_while_then_thaw(sleeper, tmp_path):
    tag, proc = sleeper
    journal = FaultJournal(tmp_path / "j")
    seen = []
    schedule = Schedule(down=Duration(low=0.5, high=0.5))
    (outcome,) = disrupt(process(name=tag, action="freeze"), schedule, journal, sink=seen.append)
    assert outcome.ok and [e.phase for e in seen] == ["inject", "effect", "restore", "recovered"]
    assert seen[2].at - seen[1].at >= 0.5
    assert procs.state_of(proc.pid) in ("S", "R")
    assert journal.pending() == []


def test_stop_with_a_start_command_brings_it_back(tmp_path):
    tag = f"squall-test-{uuid.uuid4().hex[:8]}"
    line = f"exec {sys.executable} -c 'import time; time.sleep(300)  # {tag}' >/dev/null 2>&1 &"
    subprocess.run(["sh", "-c", line], check=True)
    try:
        first = procs_matching(tag)
        plan = process(name=tag, action="stop", start=["sh", "-c", line]).plan(LOCAL)
        outcome = Fault(plan, FaultJournal(tmp_path / "j")).run(down=0)
        assert outcome.ok and [e.phase for e in outcome.events][-1] == "recovered"
        again = procs_matching(tag)
        assert again and not set(again) & set(first)
    finally:
        for pid in procs_matching(tag):
            os.kill(pid, signal.SIGKILL)


def procs_matching(tag: str) -> list[int]:
    found = subprocess.run(["pgrep", "-f", tag], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def test_pidfile_and_nothing_to_hit(sleeper, tmp_path):
    _, proc = sleeper
    pidfile = tmp_path / "x.pid"
    pidfile.write_text(f"{proc.pid}\n")
    plan = process(pidfile=str(pidfile), action="freeze").plan(LOCAL)
    assert plan.inject[0].procs[0].pid == proc.pid
    with pytest.raises(FaultError, match="no process matches"):
        process(name=f"nothing-{uuid.uuid4().hex}").plan(LOCAL)
    with pytest.raises(FaultError, match="cannot read a PID"):
        process(pidfile=str(tmp_path / "missing.pid")).plan(LOCAL)


CHILD = """
import sys, time
from pathlib import Path
from squall.disruptors.journal import FaultJournal
from squall.disruptors.process import Process
from squall.disruptors.run import Fault
from squall.hosts.inventory import Host
cfg = Process.parse_config({"name": sys.argv[1], "action": "freeze"})
fault = Fault(Process(cfg).plan(Host(name="localhost")), FaultJournal(Path(sys.argv[2])))
fault.inject()
print("injected", flush=True)
time.sleep(300)
"""


def test_squall_killed_mid_fault_is_undone_by_cleanup(sleeper, tmp_path):
    tag, proc = sleeper
    journal = tmp_path / "faults.jsonl"
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), tag, str(journal)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "injected"
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    time.sleep(0.1)
    assert procs.state_of(proc.pid) == "T"  # the fault outlived squall
    listed = CliRunner().invoke(app, ["list", "--journal", str(journal)])
    assert "process:freeze" in listed.output and "kill -s CONT" in listed.output
    dry = CliRunner().invoke(app, ["cleanup", "--dry-run", "--journal", str(journal)])
    assert dry.exit_code == 0 and "would undo" in dry.output
    assert procs.state_of(proc.pid) == "T"
    done = CliRunner().invoke(app, ["cleanup", "--journal", str(journal)])
    assert done.exit_code == 0, done.output
    assert procs.state_of(proc.pid) in ("S", "R")
    again = CliRunner().invoke(app, ["cleanup", "--journal", str(journal)])
    assert "no fault left to undo" in again.output
