"""The monitor states /metrics shows: the newest stored sample of each target only."""

from __future__ import annotations

import pytest

from squall.results.samples import MonitorSample, SampleStore
from squall.results.store import Store
from squall.testing.records import make_env, make_task

pytestmark = pytest.mark.integration


def test_the_newest_sample_of_each_target_wins(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'm.db'}") as store:
        run_id = store.create_run(make_task("m", workloads=1), make_env(), [])
        other = store.create_run(make_task("o", workloads=1), make_env(), [])
        samples = SampleStore(store)
        for second in range(3):  # keystone fails last, nova recovers last
            samples.add_samples(
                run_id,
                [
                    MonitorSample("api", "keystone", 100.0 + second, 0.0, second < 2, 0.01),
                    MonitorSample("api", "nova", 100.0 + second, 0.0, second == 2, 0.02),
                ],
            )
        samples.add_samples(other, [MonitorSample("api", "keystone", 200.0, 0.0, True, 0.5)])
        latest = SampleStore(store).latest_samples(run_id)
    assert [(s.target, s.ok, s.at) for s in latest] == [
        ("keystone", False, 102.0),
        ("nova", True, 102.0),
    ]
