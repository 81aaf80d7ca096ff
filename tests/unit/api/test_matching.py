"""common_keys: what two runs share, and the refusals task and data-plane compare share."""

from __future__ import annotations

import pytest

from squall.api._matching import DATAPLANE, TASK, common_keys
from squall.errors import ConfigError
from squall.stats.trends import RunBrief

A = RunBrief("a" * 32, "nightly", 1.0)
B = RunBrief("b" * 32, "nightly", 2.0)


def test_common_keys_keep_the_first_runs_order_and_the_rest_is_unmatched():
    matched = common_keys(A, B, (["x", "y", "z"], ["z", "w", "x"]), TASK)
    assert matched.common == ["x", "z"]
    assert matched.unmatched == ["y", "w"]


def test_a_run_compared_with_itself_is_refused():
    with pytest.raises(ConfigError, match=f"run {A.id} is compared with itself") as refused:
        common_keys(A, A, (["x"], ["x"]), DATAPLANE)
    assert refused.value.hint == "give two data-plane runs"


@pytest.mark.parametrize(
    ("subject", "message", "hint"),
    [
        (
            TASK,
            "task runs aaaaaaaa ('nightly') and bbbbbbbb ('nightly') have no finished "
            "workload in common: they are of different tasks",
            "compare two runs of the same task",
        ),
        (
            DATAPLANE,
            "data-plane runs aaaaaaaa ('nightly') and bbbbbbbb ('nightly') have no test "
            "in common: they are of different plans",
            "compare two runs of the same plan",
        ),
    ],
)
def test_runs_with_nothing_in_common_are_refused_in_the_same_words(subject, message, hint):
    with pytest.raises(ConfigError) as refused:
        common_keys(A, B, (["x"], ["y"]), subject)
    assert (refused.value.message, refused.value.hint) == (message, hint)
