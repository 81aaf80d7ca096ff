"""Tests that `squall stress` runs in squall's own tests (not collected by squall's suite:
the file name does not match test_*.py). Each class setup appends a line
"<scope-label> <pid>" to the file named by $SQUALL_STRESS_LOG, so a test can count them.
"""

from __future__ import annotations

import os
import unittest
from pathlib import Path

import pytest


def _log(what: str) -> None:
    path = os.environ.get("SQUALL_STRESS_LOG")
    if path:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(f"{what} {os.getpid()}\n")


class TestCounted(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        _log("setup")

    @classmethod
    def tearDownClass(cls) -> None:
        _log("teardown")

    def test_ok(self) -> None:
        assert True


class TestOther:
    @classmethod
    def setup_class(cls) -> None:
        _log("other-setup")

    def test_other(self) -> None:
        assert True


def test_passes() -> None:
    assert 1 + 1 == 2


def test_fails() -> None:
    assert 1 + 1 == 3, "arithmetic"


def test_errors() -> None:
    raise ValueError("not an assertion")


@pytest.fixture
def broken() -> None:
    raise RuntimeError("fixture broke")


def test_setup_error(broken: None) -> None:
    pass


def test_skipped() -> None:
    pytest.skip("not today")


def test_dies() -> None:
    os._exit(3)
