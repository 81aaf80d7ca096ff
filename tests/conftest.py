"""Settings for the whole suite."""

from __future__ import annotations

import signal

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """A suite started as a background job of a non-interactive shell (``cmd &``)
    inherits SIGINT ignored, and so would every squall it starts; the Ctrl-C tests
    send SIGINT on purpose and expect squall's own handling of it."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
