"""Round trips of the iteration chunk codec: every field back, bit for bit."""

from __future__ import annotations

import base64
import dataclasses
import math
import struct
import zlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from squall.iteration import AtomicAction, ErrorInfo, IterationResult, OutputChart, ScenarioOutput
from squall.results.codec import MAGIC, ChunkFormatError, decode_chunk, encode_chunk

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.floats(1.7e9, 1.9e9)
TEXT = st.text(max_size=20)
# JSON keeps floats exactly, and NaN only as the one canonical NaN
JSON_FLOATS = st.floats(allow_nan=False) | st.just(math.nan)
JSON_LEAF = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | JSON_FLOATS | TEXT
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


def canon(value: Any) -> Any:
    """A comparable form where floats are their bit patterns and types matter."""
    if isinstance(value, float):
        return ("f", struct.pack("<d", value))
    if isinstance(value, bool | int | str | None):
        return (type(value).__name__, value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__name__, [(f.name, canon(getattr(value, f.name))) for f in fields])
    if isinstance(value, list):
        return ("list", [canon(v) for v in value])
    if isinstance(value, dict):
        return ("dict", [(k, canon(v)) for k, v in value.items()])
    raise TypeError(type(value))


def _action(children: st.SearchStrategy[list[AtomicAction]]) -> st.SearchStrategy[AtomicAction]:
    return st.builds(
        AtomicAction,
        name=st.sampled_from(["nova.boot", "nova.delete", "a"]) | TEXT,
        started_at=FLOATS,
        finished_at=st.none() | FLOATS,
        children=children,
        failed=st.booleans(),
    )


actions = st.recursive(
    _action(st.just([])), lambda inner: _action(st.lists(inner, max_size=3)), max_leaves=8
)
charts = st.builds(
    OutputChart,
    title=TEXT,
    chart_plugin=st.sampled_from(["StackedArea", "Lines", "Table"]),
    data=st.lists(JSON, max_size=3),
    description=TEXT,
    label=TEXT,
    axis_label=TEXT,
)
iterations = st.builds(
    IterationResult,
    number=INT64,
    scheduled_offset=FLOATS,
    start_offset=FLOATS,
    timestamp=FLOATS,
    duration=FLOATS,
    idle_duration=FLOATS,
    error=st.none() | st.builds(ErrorInfo, type=TEXT, message=TEXT, traceback=TEXT),
    atomic_actions=st.lists(actions, max_size=3),
    output=st.builds(
        ScenarioOutput,
        additive=st.lists(charts, max_size=2),
        complete=st.lists(charts, max_size=2),
    ),
    worker=INT64,
)


@settings(max_examples=100, deadline=None)
@given(st.lists(iterations, max_size=6))
def test_any_batch_comes_back_exactly(batch: list[IterationResult]) -> None:
    assert canon(decode_chunk(encode_chunk(batch))) == canon(batch)


def test_an_empty_batch_round_trips() -> None:
    assert decode_chunk(encode_chunk([])) == []


def _nested(number: int, t0: float) -> IterationResult:
    inner = AtomicAction("inner", t0 + 0.001, t0 + 0.101)
    outer = AtomicAction("outer", t0, t0 + 0.102, [inner])
    return IterationResult(
        number=number,
        scheduled_offset=number * 0.01,
        start_offset=number * 0.01 + 1e-5,
        timestamp=t0,
        duration=0.102,
        atomic_actions=[outer],
    )


def test_repeated_names_and_errors_are_stored_once() -> None:
    error = ErrorInfo("Timeout", "took too long", "Traceback (most recent call last):\n" * 50)
    batch = [_nested(i, 1.8e9 + i) for i in range(1, 1001)]
    for it in batch:
        it.error = error
    blob = encode_chunk(batch)
    assert blob.count(b"outer") == 0  # compressed: the name table is inside zlib
    body = zlib.decompress(blob[4:])
    assert body.count(b"took too long") == 1
    assert body.count(b'"outer"') == 1
    assert decode_chunk(blob) == batch


def test_a_thousand_regular_iterations_stay_small() -> None:
    batch = [_nested(i, 1.8e9 + i * 0.0137) for i in range(1, 1001)]
    assert len(encode_chunk(batch)) < 10 * 1000  # under 10 bytes per iteration


def test_sibling_and_nested_order_is_kept() -> None:
    a = AtomicAction("a", 1.0, 2.0, [AtomicAction("a1", 1.1, 1.2), AtomicAction("a2", 1.3, None)])
    b = AtomicAction("b", 2.0, 3.0, [AtomicAction("b1", 2.1, 2.9, [AtomicAction("x", 2.2, 2.3)])])
    it = IterationResult(1, 0.0, 0.0, 1.0, 2.0, atomic_actions=[a, b, AtomicAction("c", 3.0)])
    assert decode_chunk(encode_chunk([it])) == [it]


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (b"not a chunk", "bad magic"),
        (MAGIC + b"\x63" + b"xx", "version 99"),
        (MAGIC + b"\x01" + b"garbage", "damaged"),
        (MAGIC + b"\x01" + zlib.compress(b"\x00" * 10), "damaged"),
    ],
)
def test_damaged_chunks_are_reported(blob: bytes, message: str) -> None:
    with pytest.raises(ChunkFormatError, match=message):
        decode_chunk(blob)


def test_a_truncated_chunk_is_reported() -> None:
    blob = encode_chunk([_nested(1, 1.8e9)])
    with pytest.raises(ChunkFormatError):
        decode_chunk(blob[:-5])


def test_numbers_outside_64_bits_are_refused() -> None:
    with pytest.raises(OverflowError):
        encode_chunk([IterationResult(2**64, 0.0, 0.0, 0.0, 0.0)])


# a chunk written by the first version of the codec (start offsets chained)
VERSION_1_CHUNK = (
    "U1FJAXicY2aAADYo7QClJQjQBjhoQvpgdAKUrlbKS8xNLVayilbKLy1JLVLSUcrMywPSsTpKqUVF+UUgqWgl"
    "V6B4LhArxQLFgQoLSkuAEtW1tYyMjAwkARzKmZiYcKlnxKWHKupJBIU73VfX5lbly3acOVIVX/fhRwVEnOuE"
    "7f5rUldEI8+7LJmtOrGLw6nkA5c9A8MbfoZAsIIGBoYSBoZLDAy3GBgcgfFdsub2cceOD/Lqk77tTleaycCw"
    "koHBHo/FvxiuMeiFx1kavfzEwMzAzsCQsvnJ9LUFUE8zMTCzM1PiLwAGDUAd"
)


def test_chunks_of_the_first_version_still_read() -> None:
    t = [1.8e9 + i * 0.005 for i in (1, 2, 3)]
    expected = [
        IterationResult(
            number=i,
            scheduled_offset=i * 0.005,
            start_offset=i * 0.005 + 1.5e-5,
            timestamp=t[i - 1],
            duration=0.05 + i * 1e-6,
            error=ErrorInfo("E", "m") if i == 2 else None,
            atomic_actions=[
                AtomicAction(
                    "outer",
                    t[i - 1],
                    t[i - 1] + 0.05,
                    [AtomicAction("inner", t[i - 1] + 1e-5, t[i - 1] + 0.04)],
                )
            ],
        )
        for i in (1, 2, 3)
    ]
    blob = base64.b64decode(VERSION_1_CHUNK)
    assert blob[3] == 1
    assert canon(decode_chunk(blob)) == canon(expected)
    assert encode_chunk(expected)[3] == 2


def _shaped(number: int) -> IterationResult:
    t = 1.8e9 + number * 0.25
    a2 = AtomicAction(
        "a2", t + 0.3, None if number % 3 == 0 else t + 0.4, [AtomicAction("x", t + 0.31, t + 0.32)]
    )
    a = AtomicAction("a", t, t + 0.5, [AtomicAction("a1", t + 0.1, t + 0.2, failed=True), a2])
    return IterationResult(
        number,
        number * 0.25,
        number * 0.25,
        t,
        0.6,
        atomic_actions=[a, AtomicAction("b", t + 0.5, t + 0.6)],
    )


def test_many_iterations_of_one_shape_round_trip() -> None:
    batch = [_shaped(i) for i in range(1, 51)]
    assert decode_chunk(encode_chunk(batch)) == batch
