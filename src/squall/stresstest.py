"""``@squall.stresstest``: mark a test (function or class) as a stress candidate.

``squall stress PATH --marked`` runs the tests so marked (or marked with
``@pytest.mark.stress``) as load. Importing this module does not import pytest; the
decorator adds ``pytest.mark.stress`` when pytest is there.

    from squall.stresstest import stresstest

    @stresstest(class_setup_per="process")
    class TestServers(unittest.TestCase): ...
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar, cast

T = TypeVar("T")
ATTRIBUTE = "__squall_stress__"


@dataclass(frozen=True)
class StressOptions:
    """What a decorated test asks for; ``squall stress`` uses it as the default."""

    class_setup_per: Literal["process", "action", "global"] = "process"


def stresstest(
    class_setup_per: Literal["process", "action", "global"] = "process",
) -> Callable[[T], T]:
    """Mark a test function or class as a candidate for ``squall stress``."""

    def mark(target: T) -> T:
        setattr(target, ATTRIBUTE, StressOptions(class_setup_per))
        if importlib.util.find_spec("pytest") is not None:
            import pytest

            return cast(T, pytest.mark.stress(target))
        return target

    return mark
