"""``squall dataplane validate`` and ``status`` (no staging: plans and result files only)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

from typer.testing import CliRunner

from squall.cli.dataplane import app
from squall.dataplane.aggregate import PairOutcome, RepetitionSummary, summarize
from squall.dataplane.controller.state import Report
from squall.dataplane.live import LiveTest
from squall.dataplane.results import RunRecord, progress_dict, write_progress, write_results
from squall.dataplane.tools.base import Measurement, Timing
from squall.dataplane.tools.iperf3 import Iperf3, Iperf3Args
from squall.stats.histogram import Histogram

SAMPLES = Path(__file__).parents[3] / "samples" / "dataplane"
runner = CliRunner()
IPERF3_ROW = "[  5]   0.00-1.00   sec   179 MBytes  1500000 Kbits/sec    4    895 KBytes\n"


def test_validate_shows_what_would_be_staged():
    result = runner.invoke(
        app,
        ["validate", str(SAMPLES / "netns-smoke.yaml"), "--plan-args", "{mode: full, servers: 3}"],
    )
    assert result.exit_code == 0, result.output
    assert "full: 3 servers, 3 clients, 2 routers" in result.output
    assert "http-open-loop: http 3 s (+1 s warm-up)" in result.output


def test_validate_refuses_a_plan_that_cannot_be_staged(tmp_path):
    plan = tmp_path / "big.yaml"
    plan.write_text(
        "dataplane: 1\nnetwork_mode: single-router\n"
        "scale: {networks_per_router: 9, servers_per_network: 20}\n"
        "tests: [{name: t, tool: ping}]\n"
    )
    result = runner.invoke(app, ["validate", str(plan)])
    assert result.exit_code != 0
    assert "cannot be staged" in str(result.exception)


def _pair(client: str, bps: float, status: str = "ok") -> PairOutcome:
    hist = Histogram()
    hist.record(0.002)
    measurement = Measurement({"bits_per_second": bps}, {"rtt": hist}) if status == "ok" else None
    return PairOutcome(client, "s", client, "s", status, measurement, 0.0005)


def test_status_lists_runs_and_shows_one_with_its_matrix(tmp_path):
    summary = summarize(
        RepetitionSummary("tcp", "iperf3", 0, 1.0, [_pair("c1", 2e9), _pair("c2", 0, "lost")]),
        headline="bits_per_second",
    )
    record = RunRecord(
        "f" * 32, "my run", "netns", "full", {}, 1.0, 2.0, "partial", tests=[summary]
    )
    (tmp_path / record.run).mkdir()
    write_results(record, tmp_path / record.run)

    listing = runner.invoke(app, ["status", "--no-store", "--workdir", str(tmp_path)])
    assert listing.exit_code == 0, listing.output
    assert "my run" in listing.output and "partial" in listing.output

    shown = runner.invoke(
        app, ["status", "fff", "--no-store", "--matrix", "--workdir", str(tmp_path)]
    )
    assert shown.exit_code == 0, shown.output
    assert "2.00 Gbit/s" in shown.output
    assert "1/2" in shown.output
    assert "c2" in shown.output  # flagged: its pair was lost
    assert "bits_per_second" in shown.output


def _running(tmp_path: Path, run: str, pid: int) -> Path:
    plan = {"tests": [{"name": "tcp", "repetitions": 2}, {"name": "rtt"}]}
    record = RunRecord(run, "live run", "netns", "single-router", plan, 1.0, pid=pid)
    record.environment = {"host": socket.gethostname()}
    run_dir = tmp_path / run
    run_dir.mkdir()
    write_results(record, run_dir)
    return run_dir


def test_a_run_in_progress_shows_its_test_and_latest_intervals(tmp_path):
    run_dir = _running(tmp_path, "a" * 32, os.getpid())
    live = LiveTest(
        Iperf3(), Iperf3Args(), Timing(10, warmup=2), {"c": "agent"}, "tcp", repetition=1
    )
    live.start_at = time.time() - 3
    live.add(Report("c", "agent", False, "running", 0.0, {"output": IPERF3_ROW}))
    write_progress(progress_dict([live]), run_dir)

    listing = runner.invoke(app, ["status", "--no-store", "--workdir", str(tmp_path)])
    assert listing.exit_code == 0, listing.output
    assert "running" in listing.output
    assert "0/3" in listing.output  # repetitions done of those planned

    shown = runner.invoke(app, ["status", "aaa", "--no-store", "--workdir", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert "running tcp #2 (iperf3, 1 clients): t=3 s of 12 s" in shown.output
    assert "t=  1.0s  1.50 Gbit/s, 4 retransmits" in shown.output


def test_a_running_run_whose_process_is_gone_is_abandoned(tmp_path):
    child = subprocess.Popen(["true"])  # a pid that no longer runs once waited for
    child.wait()
    _running(tmp_path, "b" * 32, child.pid)

    listing = runner.invoke(app, ["status", "--no-store", "--workdir", str(tmp_path)])
    assert "abandoned" in listing.output, listing.output
    shown = runner.invoke(app, ["status", "bbb", "--no-store", "--workdir", str(tmp_path)])
    assert "abandoned" in shown.output
    assert "squall dataplane cleanup --run bbbbbbbbbbbb" in shown.output


def test_an_unreadable_run_file_is_skipped_with_a_note(tmp_path):
    _running(tmp_path, "c" * 32, os.getpid())
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "results.json").write_text("{not json")
    listing = runner.invoke(app, ["status", "--no-store", "--workdir", str(tmp_path)])
    assert listing.exit_code == 0, listing.output
    assert "live run" in listing.output
    assert "skipped" in listing.output and "broken" in listing.output


def test_status_of_an_unknown_run_says_so(tmp_path):
    shown = runner.invoke(app, ["status", "zzz", "--no-store", "--workdir", str(tmp_path)])
    assert shown.exit_code != 0
    assert "no data-plane run matches 'zzz'" in str(shown.exception)


def test_status_without_runs_says_where_it_looked(tmp_path):
    listing = runner.invoke(app, ["status", "--no-store", "--workdir", str(tmp_path)])
    assert listing.exit_code == 0, listing.output
    assert f"no data-plane runs in {tmp_path}" in listing.output.replace("\n", "")
