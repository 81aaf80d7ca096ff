"""`squall task report|compare|trends|push` driven as a user would, in a subprocess."""

from __future__ import annotations

import re

SAMPLE = "samples/tasks/native/dummy-constant.yaml"


def start(squall, args: str, tag: str = "trend") -> str:
    result = squall("task", "start", SAMPLE, "--task-args", args, "--tag", tag)
    assert result.code in (0, 2), result.err  # 2: an SLA failed; the run is stored
    match = re.search(r"Run ([0-9a-f]{32}) started", result.out)
    assert match, result.out
    return match.group(1)


def test_report_compare_trends_export_and_bad_input(squall, tmp_path):
    # one set of runs for every command: runs take the time here
    fast = start(squall, "times=400,concurrency=10,sleep=0.01")
    slow = start(squall, "times=400,concurrency=10,sleep=0.02")
    out = tmp_path / "report.html"
    report = squall("task", "report", fast, slow, "--out", str(out))
    assert report.code == 0, report.err
    assert out.stat().st_size < 5 * 1024 * 1024
    assert "Report of 2 run(s)" in report.out

    worse = squall("task", "compare", fast, slow)
    assert worse.code == 2, worse.out + worse.err  # twice the sleep: worse, CI fails
    assert "Verdict: worse" in worse.out
    assert "p95" in worse.out and "throughput" in worse.out

    better = squall("task", "compare", slow, fast)
    assert better.code == 0 and "Verdict: better" in better.out

    trends = squall("task", "trends", "--tag", "trend")
    assert trends.code == 0, trends.err
    assert fast[:8] in trends.out and slow[:8] in trends.out and "worse" in trends.out

    bulk = tmp_path / "runs.ndjson"
    result = squall("task", "export", fast, "--type", "opensearch-bulk", "--to", str(bulk))
    assert result.code == 0, result.err
    lines = bulk.read_text().splitlines()
    assert len(lines) % 2 == 0 and '"_index":"squall_run_v1"' in lines[0]

    failures = squall("task", "start", "samples/tasks/native/dummy-failures.yaml")
    assert failures.code == 0
    cases = [
        (("task", "report", "0000dead", "--out", str(tmp_path / "r.html")), "no run 0000dead"),
        (("task", "report", fast, "--out", str(tmp_path / "missing" / "r.html")), "does not exist"),
        (("task", "report", fast, "--out", str(tmp_path)), "is a directory"),
        (("task", "compare", fast, "last"), "different tasks"),
        (("task", "compare", fast, fast), "compared with itself"),
        (("task", "trends", "--tag", "nobody"), "no run is tagged"),
        (("task", "push", fast, "--url", "ftp://x"), "not an http(s) URL"),
    ]
    for args, message in cases:
        result = squall(*args)
        assert result.code == 1, (args, result.out, result.err)
        assert message in result.err, (args, result.err)
        assert "Traceback" not in result.err
