"""``squall dataplane validate`` and ``status`` (no staging: plans and result files only)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from squall.cli.dataplane import app
from squall.dataplane.aggregate import PairOutcome, RepetitionSummary, summarize
from squall.dataplane.results import RunRecord, write_results
from squall.dataplane.tools.base import Measurement
from squall.stats.histogram import Histogram

SAMPLES = Path(__file__).parents[3] / "samples" / "dataplane"
runner = CliRunner()


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

    listing = runner.invoke(app, ["status", "--workdir", str(tmp_path)])
    assert listing.exit_code == 0, listing.output
    assert "my run" in listing.output and "partial" in listing.output

    shown = runner.invoke(app, ["status", "fff", "--matrix", "--workdir", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    assert "2.00 Gbit/s" in shown.output
    assert "1/2" in shown.output
    assert "c2" in shown.output  # flagged: its pair was lost
    assert "bits_per_second" in shown.output
