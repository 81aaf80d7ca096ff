"""A small test module for `squall stress` (see README.md beside it).

squall stress samples/stress/test_sample.py --workers 4 --times 40
squall stress samples/stress --marked --workers 2 --duration 5
"""

from __future__ import annotations

import os
import time
import unittest

import pytest

from squall.stresstest import stresstest


@pytest.mark.stress
def test_quick() -> None:
    """Passes in about 10 ms."""
    time.sleep(0.01)
    assert sum(range(10)) == 45


@pytest.mark.stress
def test_flaky() -> None:
    """Fails about one time in four: the failures show in the run's results."""
    assert int.from_bytes(os.urandom(1), "big") % 4 != 0, "unlucky draw"


def test_not_marked() -> None:
    """Not a stress candidate: discovery with --marked leaves it out."""


@stresstest(class_setup_per="process")
class TestWithClassSetup(unittest.TestCase):
    """A unittest case whose class setup is expensive and shared per worker process."""

    connection: dict[str, int] | None = None

    @classmethod
    def setUpClass(cls) -> None:
        time.sleep(0.05)  # an expensive connection, made once per worker process
        cls.connection = {"pid": os.getpid()}

    def test_uses_class_setup(self) -> None:
        assert self.connection is not None
        assert self.connection["pid"] == os.getpid()


def test_broken_fixture(request: pytest.FixtureRequest) -> None:
    """Not marked; an example of an error (not a failure) when run explicitly."""
    raise RuntimeError("this test always errors")
