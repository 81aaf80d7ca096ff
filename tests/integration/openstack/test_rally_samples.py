"""The Rally-format task files in samples/tasks/openstack run unchanged on the devcloud."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.devcloud]
FOLDER = Path(__file__).resolve().parents[3] / "samples/tasks/openstack"
SAMPLES = sorted(p for p in FOLDER.iterdir() if p.suffix in {".yaml", ".json"})


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_runs_unchanged(squall, cloud, path):
    before = cloud.snapshot()
    result = squall("task", "start", str(path), "--cloud", "devcloud")
    assert result.code == 0, result.out + result.err
    assert "every SLA passed" in result.out
    assert not cloud.leaked(before, result.run_id, squall.db)
