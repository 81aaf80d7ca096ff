"""`squall task compare|trends` on stored data-plane runs, driven as a user would."""

from __future__ import annotations

from squall.dataplane.store import DataplaneStore
from squall.results.store import Store
from squall.testing.dataplane_runs import SyntheticTest, synthetic_run
from squall.testing.records import make_env, make_task

BEFORE, SAME, SLOWER = "a" * 32, "b" * 32, "c" * 32
PLAN = "web before and after"


def store_runs(db_url: str) -> str:
    """Three runs of one plan (an hour apart: the same, then 10 % slower) and a task run."""
    runs = [
        synthetic_run(BEFORE, [SyntheticTest()], seed=1, title=PLAN, started_at=1000.0),
        synthetic_run(SAME, [SyntheticTest()], seed=2, title=PLAN, started_at=4600.0),
        synthetic_run(
            SLOWER,
            [SyntheticTest(histograms={"latency": 0.011})],
            seed=3,
            title=PLAN,
            started_at=8200.0,
        ),
    ]
    with Store.open(db_url) as store:
        for run in runs:
            DataplaneStore(store).save(run)
        return store.create_run(make_task("a task"), make_env(), [])


def test_compare_and_trends_of_dataplane_runs(squall):
    task_run = store_runs(squall.db_url)

    worse = squall("task", "compare", BEFORE[:8], SLOWER[:8])
    assert worse.code == 2, worse.out + worse.err  # 10 % slower: CI fails
    assert "Verdict: worse" in worse.out
    assert "latency" in worse.out and "p95" in worse.out and "throughput" in worse.out

    same = squall("task", "compare", BEFORE[:8], SAME[:8])
    assert same.code == 0, same.out + same.err
    assert "Verdict: worse" not in same.out

    page = squall.workdir / "trends.html"
    trends = squall("task", "trends", "--plan", PLAN, "--out", str(page))
    assert trends.code == 0, trends.err
    assert "requests/s" in page.read_text() and "failed pairs %" in page.read_text()
    assert "3 run(s) of plan" in trends.out
    assert all(r[:8] in trends.out for r in (BEFORE, SAME, SLOWER))
    assert "worse" in trends.out  # the slower run against the one before it

    cases = [
        (("task", "compare", BEFORE[:8], task_run), "a task run and"),
        (("task", "compare", task_run, BEFORE[:8]), "a data-plane run"),
        (("task", "compare", BEFORE[:8], "0000dead"), "no run 0000dead"),
        (("task", "trends", "--plan", "nothing like it"), "no data-plane run of a plan titled"),
        (("task", "trends", "--plan", PLAN, "--tag", "x"), "not both or none"),
        (("task", "trends"), "not both or none"),
    ]
    for args, message in cases:
        result = squall(*args)
        assert result.code == 1, (args, result.out, result.err)
        assert message in result.err, (args, result.err)
        assert "Traceback" not in result.err
