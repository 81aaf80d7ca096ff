"""What a run records about where it ran."""

from __future__ import annotations

import platform
import socket
import sys
from typing import Any

from squall import __version__
from squall.results.records import Environment


def current_environment(
    cloud: dict[str, Any] | None = None, extra: dict[str, Any] | None = None
) -> Environment:
    return Environment(
        squall_version=__version__,
        python=sys.version.split()[0],
        host=socket.gethostname(),
        platform=platform.platform(),
        cloud=cloud or {},
        extra=extra or {},
    )
