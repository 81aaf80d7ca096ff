"""Where squall's time went: cProfile around ``squall task start`` (``--profile``).

cProfile slows a busy loop down severalfold, so figures taken under it are not
comparable; the point is the ranking of functions, printed under the group.
"""

from __future__ import annotations

import io
import pstats
import sys
from pathlib import Path


def profiled_command(output: Path) -> list[str]:
    """``python -m squall`` under cProfile, writing its stats to ``output``."""
    return [sys.executable, "-m", "cProfile", "-o", str(output), "-m", "squall"]


#: the run itself, not the imports and CLI around it
RUN_PATH = r"squall/(engine|runners|scenarios|stats|sla|results|hooks)/"


def top_functions(stats_file: Path, count: int = 15) -> str:
    """The ``count`` functions with the most time of their own, then squall's run-time
    functions (engine, runners, scenarios, stats, SLA, store) by cumulative time."""
    out = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=out)
    stats.sort_stats("tottime").print_stats(count)
    stats.sort_stats("cumulative").print_stats(RUN_PATH, count)
    return out.getvalue()
