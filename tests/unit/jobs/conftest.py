"""Fixture repositories (tests/data/repos), copied so tests may write into them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPOS = Path(__file__).resolve().parents[2] / "data" / "repos"


@pytest.fixture
def repo(tmp_path: Path) -> Callable[[str], Path]:
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(REPOS / name, target)
        return target

    return copy
