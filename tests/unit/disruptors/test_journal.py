"""The undo journal: begun faults stay pending until done; replay undoes them."""

from __future__ import annotations

import sys

import pytest

from squall.disruptors.actions import RunCommand
from squall.disruptors.journal import FaultJournal
from squall.errors import FaultError
from squall.hosts.inventory import Host

LOCAL = Host(name="localhost")


def touch(path):
    return RunCommand(
        host=LOCAL, argv=(sys.executable, "-c", f"open({str(path)!r}, 'a').write('x')")
    )


def test_pending_until_done(tmp_path):
    journal = FaultJournal(tmp_path / "j.jsonl")
    assert journal.pending() == []
    a = journal.begin(run_id="r1", disruptor="d", target="h1", undo=[touch(tmp_path / "a")])
    b = journal.begin(run_id="r2", disruptor="d", target="h2", undo=[])
    assert [f.id for f in journal.pending()] == [a, b]
    assert [f.id for f in journal.pending("r2")] == [b]
    journal.done(a)
    assert [f.id for f in journal.pending()] == [b]
    assert journal.pending()[0].undo == []


def test_replay_undoes_newest_first_and_marks_done(tmp_path):
    journal = FaultJournal(tmp_path / "j.jsonl")
    journal.begin(run_id=None, disruptor="d", target="h", undo=[touch(tmp_path / "first")])
    journal.begin(run_id=None, disruptor="d", target="h", undo=[touch(tmp_path / "second")])
    dry = journal.replay(dry_run=True)
    assert [len(r.done) for r in dry] == [1, 1] and not (tmp_path / "first").exists()
    results = journal.replay()
    assert all(r.ok for r in results)
    assert (tmp_path / "first").read_text() == "x" and (tmp_path / "second").read_text() == "x"
    assert journal.pending() == [] and journal.replay() == []


def test_a_failing_undo_stays_pending(tmp_path):
    journal = FaultJournal(tmp_path / "j.jsonl")
    bad = RunCommand(host=LOCAL, argv=(sys.executable, "-c", "import sys; sys.exit(4)"))
    journal.begin(run_id=None, disruptor="d", target="h", undo=[bad])
    (result,) = journal.replay()
    assert not result.ok and "exited 4" in result.errors[0]
    assert len(journal.pending()) == 1


def test_a_torn_last_line_is_ignored_but_garbage_is_not(tmp_path):
    path = tmp_path / "j.jsonl"
    journal = FaultJournal(path)
    journal.begin(run_id=None, disruptor="d", target="h", undo=[])
    with path.open("a") as f:
        f.write('{"op": "begin", "id": "x", "run')
    assert len(journal.pending()) == 1
    path.write_text("not json\n" + path.read_text())
    with pytest.raises(FaultError, match="line 1 is not a fault record"):
        journal.pending()


def test_writing_after_a_torn_line_keeps_records_apart(tmp_path):
    path = tmp_path / "j.jsonl"
    journal = FaultJournal(path)
    with path.open("w") as f:
        f.write('{"op":"begin","id":"x","ru')
    entry = journal.begin(run_id=None, disruptor="d", target="h", undo=[])
    assert [f.id for f in journal.pending()] == [entry]
