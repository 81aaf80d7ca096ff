"""The one percentile function squall uses, the way Rally and numpy compute it.

Linear interpolation between the two order statistics around rank ``k = (n - 1) * p``
(numpy's ``"linear"`` method, Rally's ``processing.utils.percentile``). The result is
clamped into ``[sorted[floor(k)], sorted[ceil(k)]]``: mathematically it always lies
there, and clamping keeps floating-point rounding from ever stepping outside, so
"p95 <= limit" can be decided from counts alone (see ``squall.sla.max_percentile``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(sorted_values: Sequence[float], p: float) -> float | None:
    """The ``p`` quantile (0 <= p <= 1) of ``sorted_values``, which must be sorted.

    ``None`` for an empty sequence.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"percentile fraction must be within [0, 1], got {p!r}")
    n = len(sorted_values)
    if n == 0:
        return None
    low, high, fraction = rank(n, p)
    if low == high:
        return sorted_values[low]
    return interpolate(sorted_values[low], sorted_values[high], fraction)


def interpolate(low_value: float, high_value: float, fraction: float) -> float:
    """The point ``fraction`` of the way from ``low_value`` to ``high_value``, clamped."""
    value = low_value * (1.0 - fraction) + high_value * fraction
    return min(max(value, low_value), high_value)


def rank(n: int, p: float) -> tuple[int, int, float]:
    """``(floor(k), ceil(k), k - floor(k))`` for ``k = (n - 1) * p``; ``n`` must be >= 1."""
    k = (n - 1) * p
    low = math.floor(k)
    return low, math.ceil(k), k - low
