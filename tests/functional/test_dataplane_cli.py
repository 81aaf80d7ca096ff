"""`squall dataplane run` and `status` end to end on netns: live lines, stored runs, Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal

import pytest

from squall.dataplane.providers.netns import orphan_namespaces

pytestmark = [pytest.mark.integration]

PLAN = """\
dataplane: 1
title: cli live
network_mode: single-router
scale: {{servers_per_network: 2}}
controller: {{poll_wait: 1, start_lead: 0.3}}
tests:
  - {{name: tcp, tool: iperf3, duration: {seconds}, report_interval: 1}}
  - {{name: rtt, tool: ping, duration: {seconds}, report_interval: 1, args: {{interval: 0.05}}}}
"""


@pytest.fixture(autouse=True)
def _netns() -> None:
    tools = ("ip", "iperf3", "ping")
    if os.geteuid() == 0 and all(
        shutil.which(t, path="/usr/sbin:/usr/bin:/sbin:/bin") for t in tools
    ):
        return
    message = "netns data plane: root with ip, iperf3 and ping (scripts/dataplane-deps)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _leftovers(run_prefix: str) -> list[str]:
    return [n for n in orphan_namespaces() if n.startswith("sq" + run_prefix[:8])]


def test_run_prints_interim_lines_and_status_shows_the_stored_run(squall, tmp_path):
    plan = squall.task_file("plan.yaml", PLAN.format(seconds=3))
    work = str(tmp_path / "dp")
    result = squall("dataplane", "run", plan, "--workdir", work, timeout=180)
    assert result.code == 0, result.err
    tcp = [ln for ln in result.out.splitlines() if ln.startswith("  tcp t=")]
    rtt = [ln for ln in result.out.splitlines() if ln.startswith("  rtt t=")]
    assert len(tcp) >= 2 and "Gbit/s" in tcp[0], result.out
    assert len(rtt) >= 2 and "replies" in rtt[0], result.out
    run = result.out.split("run ", 1)[1].split(":", 1)[0]

    listing = squall("dataplane", "status", "--workdir", work)
    assert listing.code == 0, listing.err
    assert run[:12] in listing.out and "finished" in listing.out and "2/2" in listing.out

    # the run is in the results store too: found there once its directory is gone
    shutil.rmtree(tmp_path / "dp" / run)
    shown = squall("dataplane", "status", run[:8], "--workdir", work)
    assert shown.code == 0, shown.err
    assert "the results store" in shown.out
    assert "Gbit/s" in shown.out and "replies" in shown.out


def test_ctrl_c_mid_test_removes_everything_and_keeps_the_repetition(squall, tmp_path):
    plan = squall.task_file("plan.yaml", PLAN.format(seconds=8))
    work = str(tmp_path / "dp")
    with squall.popen("dataplane", "run", plan, "--workdir", work, "--no-store") as proc:
        assert proc.stdout is not None and proc.stderr is not None
        seen = []
        for line in proc.stdout:
            seen.append(line)
            if line.startswith("  tcp t=  2.0s"):
                proc.send_signal(signal.SIGINT)
                break
        out = "".join(seen) + proc.stdout.read()
        err = proc.stderr.read()
        assert proc.wait(60) == 1, out + err
    assert "interrupted; everything staged was removed" in err
    assert "Traceback" not in err
    run = out.split("run ", 1)[1].split(":", 1)[0]
    assert not _leftovers(run)

    shown = squall("dataplane", "status", run[:8], "--workdir", work, "--no-store")
    assert shown.code == 0, shown.err
    assert "aborted" in shown.out
    assert "0/2" in shown.out  # the tcp repetition kept, both pairs cut short
    assert "Gbit/s" in shown.out  # with what they streamed
