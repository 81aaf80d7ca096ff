"""Real-time scheduling for the timing figures, so other tenants' CPU work does not preempt them.

On a shared machine, a process that sleeps until an instant wakes when the scheduler lets
it: with other tenants' tests on the same two cores, that is often milliseconds late,
and the lateness lands in the figure (a fixed-rate latency percentile, a start skew)
although it is the machine's, not squall's. As root, the processes whose timing is
measured run under SCHED_FIFO (``chrt -f``) so that ordinary processes cannot preempt
them; they sleep most of the time, and the kernel's real-time throttling still applies.
Without root or chrt they run normally, and ``realtime`` is 0 in the figures.
"""

from __future__ import annotations

import os
import shutil

PRIORITY = 20


def realtime() -> list[str]:
    """The command prefix that runs a process under SCHED_FIFO, or [] when not possible."""
    if os.geteuid() != 0 or shutil.which("chrt") is None:
        return []
    return ["chrt", "-f", str(PRIORITY)]
