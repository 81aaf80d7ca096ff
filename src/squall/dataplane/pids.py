"""Whether a process of this host still exists."""

from __future__ import annotations

import os


def alive(pid: int) -> bool:
    """True while ``pid`` exists, whoever owns it."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
