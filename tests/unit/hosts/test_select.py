"""Target selection and timing: pure and seeded."""

from __future__ import annotations

import random

import pytest
from pydantic import TypeAdapter, ValidationError

from squall.errors import ConfigError
from squall.hosts.select import Duration, guard_quorum, waves

HOSTS = ["a", "b", "c"]


def test_modes():
    rng = random.Random(4)
    assert waves(HOSTS, "one", rng) == [["a"]]
    assert waves(HOSTS, "all", rng) == [["a", "b", "c"]]
    assert waves(HOSTS, "rolling", rng) == [["a"], ["b"], ["c"]]
    picked = [waves(HOSTS, "random", random.Random(seed))[0][0] for seed in range(20)]
    assert set(picked) == set(HOSTS)
    assert waves(HOSTS, "random", random.Random(7)) == waves(HOSTS, "random", random.Random(7))


def test_nothing_to_hit_is_an_error():
    with pytest.raises(ConfigError, match="matches no host"):
        waves([], "one", random.Random())


def test_durations_fixed_or_ranged():
    adapter = TypeAdapter(Duration)
    assert adapter.validate_python(5).draw(random.Random()) == 5
    ranged = adapter.validate_python([2, 8])
    draws = [ranged.draw(random.Random(s)) for s in range(50)]
    assert all(2 <= d <= 8 for d in draws) and len(set(draws)) > 40
    with pytest.raises(ValidationError, match="upside down"):
        adapter.validate_python([8, 2])


def test_quorum_guard():
    guard_quorum("galera", 3, 1, ["galera"], allow=False)
    with pytest.raises(ConfigError, match="loses its quorum") as info:
        guard_quorum("galera", 3, 3, ["galera"], allow=False)
    assert "allow-quorum-loss" in (info.value.hint or "")
    guard_quorum("galera", 3, 3, ["galera"], allow=True)
    guard_quorum("memcached", 3, 3, ["galera"], allow=False)
    with pytest.raises(ConfigError):
        guard_quorum("galera", 5, 3, ["galera"], allow=False)
    guard_quorum("galera", 5, 2, ["galera"], allow=False)
