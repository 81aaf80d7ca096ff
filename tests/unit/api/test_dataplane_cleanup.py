"""Finding a data-plane run to clean, and what an OpenStack run's cleanup refuses or
where it looks (no cloud: the cases that stop before one is reached)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from squall.api.dataplane import list_runs
from squall.api.dataplane_cleanup import (
    CloudRunCleanup,
    clean_openstack_run,
    find_run,
    plan_clouds,
)
from squall.dataplane.results import RunRecord, run_dict, write_results
from squall.dataplane.store import DataplaneStore
from squall.errors import ConfigError
from squall.openstack.journal import MemoryJournal
from squall.results.store import Store


def _record(run: str, provider: str = "openstack", pid: int = 0, **plan: object) -> RunRecord:
    record = RunRecord(run, "t", provider, "full", dict(plan), 1.0, pid=pid)
    record.environment = {"host": socket.gethostname()}
    return record


def _in_workdir(workdir: Path, record: RunRecord) -> None:
    (workdir / record.run).mkdir(parents=True)
    write_results(record, workdir / record.run)


@pytest.fixture
def store(tmp_path: Path):
    opened = Store.open(f"sqlite:///{tmp_path / 'squall.db'}")
    yield opened
    opened.close()


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_run_is_found_by_prefix_in_the_workdir_or_the_store(tmp_path, store):
    _in_workdir(tmp_path / "work", _record("a" * 32))
    DataplaneStore(store).save(run_dict(_record("b" * 32)))
    assert find_run("aaaa", tmp_path / "work", store).run == "a" * 32
    assert find_run("bbbb", tmp_path / "work", store).run_dir is None  # from the store
    assert find_run("cccc", tmp_path / "work", store) is None
    assert find_run("bbbb", tmp_path / "work", None) is None


def test_a_prefix_of_several_runs_is_refused(tmp_path):
    _in_workdir(tmp_path, _record("ab" + "0" * 30))
    _in_workdir(tmp_path, _record("ab" + "1" * 30))
    assert len(list_runs(tmp_path)[0]) == 2
    with pytest.raises(ConfigError, match="2 data-plane runs match 'ab'"):
        find_run("ab", tmp_path, None)


@pytest.mark.parametrize(
    ("clouds", "labels"),
    [
        ({}, ()),
        ({"server_region": "r1"}, ()),  # no name: OS_CLOUD / OS_* then
        ({"server": "a"}, ("a",)),
        ({"server": "a", "client": "a"}, ("a",)),
        ({"server": "a", "client": "b"}, ("a", "b")),
        ({"server": "a", "server_region": "r1"}, ("a/r1",)),
        ({"server": "a", "server_region": "r1", "client_region": "r2"}, ("a/r1", "a/r2")),
        ({"server": "a", "client": "b", "client_region": "r2"}, ("a", "b/r2")),
    ],
)
def test_the_plans_clouds_as_cleanup_labels(clouds, labels):
    assert plan_clouds({"clouds": clouds}) == labels


def test_a_netns_run_is_not_cleaned_in_a_cloud(tmp_path, store):
    _in_workdir(tmp_path, _record("d" * 32, provider="netns"))
    view = find_run("d", tmp_path, None)
    with pytest.raises(ConfigError, match="the netns provider, not openstack"):
        clean_openstack_run(view, store, MemoryJournal(), CloudRunCleanup())


def test_a_run_still_running_here_is_left_to_tear_down_by_itself(tmp_path, store):
    _in_workdir(tmp_path, _record("e" * 32, pid=os.getpid()))
    view = find_run("e", tmp_path, None)
    assert view.status == "running"
    with pytest.raises(ConfigError, match=f"still running \\(squall process {os.getpid()}\\)"):
        clean_openstack_run(view, store, MemoryJournal(), CloudRunCleanup())


def test_without_a_cloud_anywhere_it_says_which_to_name(tmp_path, store, monkeypatch):
    """No --cloud, no journal row, no cloud in the plan, no OS_*: ``squall cleanup``'s
    own question."""
    for name in ("OS_CLOUD", "OS_AUTH_URL"):
        monkeypatch.delenv(name, raising=False)
    _in_workdir(tmp_path, _record("f" * 32, pid=_dead_pid()))
    view = find_run("f", tmp_path, None)
    assert view.status == "abandoned"
    with pytest.raises(ConfigError, match="which cloud should be cleaned"):
        clean_openstack_run(view, store, MemoryJournal(), CloudRunCleanup(dry_run=True))


def test_with_no_journal_row_the_plans_cloud_is_where_it_looks(tmp_path, store, monkeypatch):
    monkeypatch.setenv("OS_CLOUD", "squall-test-env-cloud")
    record = _record("0" * 32, pid=_dead_pid(), clouds={"server": "squall-test-plan-cloud"})
    _in_workdir(tmp_path, record)
    view = find_run("0", tmp_path, None)
    with pytest.raises(ConfigError, match="squall-test-plan-cloud"):
        clean_openstack_run(view, store, MemoryJournal(), CloudRunCleanup(dry_run=True))
