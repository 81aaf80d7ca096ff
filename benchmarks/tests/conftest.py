"""The benchmark helpers live beside the tests, in ``benchmarks/enginebench``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(BENCHMARKS))


@pytest.fixture(scope="session")
def rally_report() -> dict[str, Any]:
    """A real Rally 5.1.1 JSON report of rally-5.1.1-small.task.yaml (3 workloads)."""
    with (FIXTURES / "rally-5.1.1-small.json").open() as f:
        return json.load(f)  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def squall_export() -> dict[str, Any]:
    """A real squall 0.1.0 ``json`` export of the same task file (3 workloads), squall.run/1."""
    with (FIXTURES / "squall-0.1.0-small.json").open() as f:
        return json.load(f)  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def squall_export_v2() -> dict[str, Any]:
    """The same task file run again by squall 0.1.0, exported as squall.run/2 (the default)."""
    with (FIXTURES / "squall-0.1.0-small.run2.json").open() as f:
        return json.load(f)  # type: ignore[no-any-return]
