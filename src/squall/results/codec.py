"""Compact, exact encoding of a batch of iteration records (one store "chunk").

A chunk is columnar: one column per field, integers and floats packed as 64-bit
little-endian arrays, atomic actions flattened in pre-order with an interned name
table, errors and scenario output in a small JSON side table. Each float is stored
as the XOR of its bits with a *predictor* the decoder can recompute (the previous
value, a parent's start, ...): close values share their sign, exponent and high
mantissa bits, so the residuals are mostly zero bytes. Columns are byte-shuffled
(all first bytes, then all second bytes, ...) so zlib sees long runs of zeros.

XOR on bit patterns is its own inverse, so every float comes back bit for bit:
NaN payloads, ``-0.0`` and infinities included. Predictors that are not finite
are replaced by ``0.0`` so that both sides compute the same thing.

Predictors: scheduled offsets by the previous one (under an rps runner they are
nearly arithmetic), actual start offsets by the scheduled ones, timestamps by the
first timestamp plus the start offset, durations by the previous one, atomic
actions as described at ``_Tree``.

Layout::

    b"SQI" | version (1 byte) | zlib( header | section 0 | section 1 | ... )
    header = "<QQ" (iterations, actions) + "<Q" * SECTIONS (section lengths)
"""

from __future__ import annotations

import json
import math
import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from operator import xor
from typing import Any

from squall.iteration import (
    AtomicAction,
    ErrorInfo,
    IterationResult,
    OutputChart,
    ScenarioOutput,
)

MAGIC = b"SQI"
VERSION = 2  # 1: start offsets chained, scheduled ones predicted by them
_READABLE = (1, 2)
_MASK = (1 << 64) - 1
_D = struct.Struct("<d")
_Q = struct.Struct("<Q")
_FAILED = 1
_UNFINISHED = 2
_SECTIONS = 14
_HEADER = struct.Struct("<" + "Q" * (2 + _SECTIONS))
_LEVEL = 6


class ChunkFormatError(ValueError):
    """A stored chunk that is not in a format this codec can read."""


# -- low-level column helpers -------------------------------------------------


def _le(values: array[Any]) -> bytes:
    if sys.byteorder == "big":  # pragma: no cover - no big-endian machine here
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _from_le(typecode: str, data: bytes) -> array[Any]:
    values = array(typecode)
    values.frombytes(data)
    if sys.byteorder == "big":  # pragma: no cover
        values.byteswap()
    return values


def _shuffle(raw: bytes) -> bytes:
    return b"".join(raw[i::8] for i in range(8))


def _unshuffle(data: bytes) -> bytes:
    n = len(data) // 8
    out = bytearray(len(data))
    for i in range(8):
        out[i::8] = data[i * n : (i + 1) * n]
    return bytes(out)


def _xor_bytes(a: bytes, b: bytes) -> bytes:
    value = int.from_bytes(a, "little") ^ int.from_bytes(b, "little")
    return value.to_bytes(len(a), "little")


def _finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0


def _bits(value: float) -> int:
    return int(_Q.unpack(_D.pack(value))[0])


def _float(bits: int) -> float:
    return float(_D.unpack(_Q.pack(bits))[0])


def _pack_ints(values: Iterable[int]) -> bytes:
    return _shuffle(_le(array("q", values)))


def _unpack_ints(data: bytes) -> list[int]:
    return _from_le("q", _unshuffle(data)).tolist()


def _pack_residual(values: Sequence[float], predictors: Sequence[float]) -> bytes:
    raw = _xor_bytes(_le(array("d", values)), _le(array("d", predictors)))
    return _shuffle(raw)


def _unpack_residual_bits(data: bytes) -> list[int]:
    return _from_le("Q", _unshuffle(data)).tolist()


def _apply_residual(data: bytes, predictors: Sequence[float]) -> list[float]:
    raw = _xor_bytes(_unshuffle(data), _le(array("d", predictors)))
    return _from_le("d", raw).tolist()


def _xor_floats(bits: list[int], predictors: Sequence[float]) -> list[float]:
    raw = _xor_bytes(_le(array("Q", bits)), _le(array("d", predictors)))
    return _from_le("d", raw).tolist()


def _xor_chain(values: Sequence[float]) -> bytes:
    """Each value XOR the previous one (the first as is)."""
    previous = [0.0, *values[:-1]] if values else []
    return _pack_residual(values, previous)


def _unxor_chain(data: bytes) -> list[float]:
    bits = list(accumulate(_unpack_residual_bits(data), xor))
    return _from_le("d", _le(array("Q", bits))).tolist()


def _timestamp_predictors(timestamps: Sequence[float], starts: Sequence[float]) -> list[float]:
    """Wall-clock start ~ first wall-clock start + (offset - first offset)."""
    if not timestamps:
        return []
    base = _finite(timestamps[0] - starts[0])
    return [0.0, *(_finite(base + s) for s in starts[1:])]


# -- atomic actions -------------------------------------------------------------
#
# Actions are flattened in pre-order. Each start and end is predicted by an earlier
# value: a start by the previous sibling's end, else the parent's start, else the
# iteration's timestamp; an end by the last child's end, else the action's own
# start. An unfinished action stores its start as its end. ``_Tree`` works out, from
# depths alone, which value predicts which, and an order in which to decode them.


@dataclass(slots=True)
class _ActionColumns:
    """Atomic actions of a chunk flattened in pre-order."""

    counts: list[int] = field(default_factory=list)  # actions (all depths) per iteration
    names: list[int] = field(default_factory=list)
    depths: list[int] = field(default_factory=list)
    flags: list[int] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)


class _Interner:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, name: str) -> int:
        return self.index.setdefault(name, len(self.index))

    def table(self) -> list[str]:
        return list(self.index)


def _flatten(
    actions: list[AtomicAction], depth: int, cols: _ActionColumns, intern: _Interner
) -> None:
    for action in actions:
        cols.names.append(intern(action.name))
        cols.depths.append(depth)
        unfinished = action.finished_at is None
        cols.flags.append((_FAILED if action.failed else 0) | (_UNFINISHED if unfinished else 0))
        cols.starts.append(action.started_at)
        cols.ends.append(action.started_at if action.finished_at is None else action.finished_at)
        _flatten(action.children, depth + 1, cols, intern)


@dataclass(slots=True)
class _Tree:
    """Parents, predictor sources and decoding order of a chunk's actions.

    Values are indexed in one space: ``[0, n)`` the iterations' timestamps,
    ``[n, n+m)`` the actions' starts, ``[n+m, n+2m)`` their ends.
    """

    n: int
    m: int
    parent: list[int]
    source: list[int]  # for value n+k: the index of the value that predicts it
    order: list[int]  # value indices, each after the value that predicts it

    @classmethod
    def build(cls, counts: list[int], depths: list[int]) -> _Tree:
        n, m = len(counts), len(depths)
        if sum(counts) != m:
            raise ChunkFormatError("atomic action counts do not match the actions stored")
        tree = cls(n, m, [-1] * m, [0] * (2 * m), [])
        j = 0
        for i, count in enumerate(counts):
            tree._iteration(i, range(j, j + count), depths)
            j += count
        return tree

    def _iteration(self, i: int, rows: range, depths: list[int]) -> None:
        stack: list[int] = []
        last_child: dict[int, int] = {}  # parent row (-1 for top level) -> last child row
        for j in rows:
            while len(stack) > depths[j]:
                self._close(stack.pop(), last_child)
            if len(stack) != depths[j]:
                raise ChunkFormatError("atomic action depths do not form a tree")
            p = stack[-1] if stack else -1
            self.parent[j] = p
            sibling = last_child.get(p)
            if sibling is not None:
                self.source[j] = self.n + self.m + sibling
            else:
                self.source[j] = i if p < 0 else self.n + p
            self.order.append(self.n + j)
            last_child[p] = j
            stack.append(j)
        while stack:
            self._close(stack.pop(), last_child)

    def _close(self, j: int, last_child: dict[int, int]) -> None:
        child = last_child.get(j)
        self.source[self.m + j] = self.n + (j if child is None else self.m + child)
        self.order.append(self.n + self.m + j)

    def residuals(self, values: list[float]) -> bytes:
        """XOR of every start and end with its predictor (``values`` in index space)."""
        predictors = [_finite(values[s]) for s in self.source]
        return _pack_residual(values[self.n :], predictors)

    def decode(self, timestamps: list[float], data: bytes) -> list[float]:
        """Starts then ends of all actions, from their residuals."""
        residual = _unpack_residual_bits(data)
        bits = [*_from_le("Q", _le(array("d", timestamps))).tolist(), *([0] * (2 * self.m))]
        n, source = self.n, self.source
        for k in self.order:
            predictor = bits[source[k - n]]
            if predictor & _EXPONENT == _EXPONENT:  # not finite: predict 0.0
                predictor = 0
            bits[k] = residual[k - n] ^ predictor
        return _from_le("d", _le(array("Q", bits[n:]))).tolist()


_EXPONENT = 0x7FF << 52


def _decode_actions(
    tree: _Tree, cols: _ActionColumns, names: list[str], counts: list[int]
) -> list[list[AtomicAction]]:
    """The top-level actions of each iteration, with their children."""
    m = tree.m
    actions = [
        AtomicAction(
            name=names[cols.names[j]],
            started_at=cols.starts[j],
            finished_at=None if cols.flags[j] & _UNFINISHED else cols.ends[j],
            failed=bool(cols.flags[j] & _FAILED),
        )
        for j in range(m)
    ]
    tops: list[list[AtomicAction]] = []
    j = 0
    for count in counts:
        top: list[AtomicAction] = []
        for row in range(j, j + count):
            p = tree.parent[row]
            (top if p < 0 else actions[p].children).append(actions[row])
        tops.append(top)
        j += count
    return tops


# -- errors and output ------------------------------------------------------------


def _chart_to_json(chart: OutputChart) -> dict[str, Any]:
    return {
        "title": chart.title,
        "chart_plugin": chart.chart_plugin,
        "data": chart.data,
        "description": chart.description,
        "label": chart.label,
        "axis_label": chart.axis_label,
    }


def _chart_from_json(data: dict[str, Any]) -> OutputChart:
    return OutputChart(**data)


def _output_to_json(output: ScenarioOutput) -> dict[str, Any]:
    return {
        "additive": [_chart_to_json(c) for c in output.additive],
        "complete": [_chart_to_json(c) for c in output.complete],
    }


def _output_from_json(data: dict[str, Any]) -> ScenarioOutput:
    return ScenarioOutput(
        additive=[_chart_from_json(c) for c in data["additive"]],
        complete=[_chart_from_json(c) for c in data["complete"]],
    )


@dataclass(slots=True)
class _SideTable:
    """What does not fit a column: names, distinct errors, non-empty outputs."""

    errors: dict[ErrorInfo, int] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def error_index(self, error: ErrorInfo | None) -> int:
        if error is None:
            return 0
        return self.errors.setdefault(error, len(self.errors) + 1)

    def to_json(self, names: list[str]) -> bytes:
        errors = [[e.type, e.message, e.traceback] for e in self.errors]
        meta = {"names": names, "errors": errors, "outputs": self.outputs}
        return json.dumps(meta, separators=(",", ":")).encode()


# -- chunks -----------------------------------------------------------------------


def encode_chunk(batch: Sequence[IterationResult]) -> bytes:
    """Encode ``batch`` into one compressed chunk."""
    intern = _Interner()
    actions = _ActionColumns()
    side = _SideTable()
    for i, it in enumerate(batch):
        before = len(actions.names)
        _flatten(it.atomic_actions, 0, actions, intern)
        actions.counts.append(len(actions.names) - before)
        if it.output:
            side.outputs[str(i)] = _output_to_json(it.output)
    error_ids = [side.error_index(it.error) for it in batch]
    scheduled = [it.scheduled_offset for it in batch]
    starts = [it.start_offset for it in batch]
    timestamps = [it.timestamp for it in batch]
    tree = _Tree.build(actions.counts, actions.depths)
    sections = [
        side.to_json(intern.table()),
        _pack_deltas([it.number for it in batch]),
        _pack_ints(it.worker for it in batch),
        _pack_ints(error_ids),
        _pack_ints(actions.counts),
        _pack_ints(actions.names),
        _pack_ints(actions.depths),
        _pack_ints(actions.flags),
        _xor_chain(scheduled),
        _pack_residual(starts, [_finite(s) for s in scheduled]),
        _pack_residual(timestamps, _timestamp_predictors(timestamps, starts)),
        _xor_chain([it.duration for it in batch]),
        _shuffle(_le(array("d", (it.idle_duration for it in batch)))),
        tree.residuals([*timestamps, *actions.starts, *actions.ends]),
    ]
    header = _HEADER.pack(len(batch), len(actions.names), *(len(s) for s in sections))
    body = zlib.compress(header + b"".join(sections), _LEVEL)
    return MAGIC + bytes([VERSION]) + body


def _pack_deltas(numbers: list[int]) -> bytes:
    """Differences between consecutive iteration numbers, modulo 2**64."""
    signed = array("q", numbers)  # rejects numbers outside the 64-bit range
    deltas = [(b - a) & _MASK for a, b in zip([0, *signed], signed, strict=False)]
    return _shuffle(_le(array("Q", deltas)))


def _unpack_deltas(data: bytes) -> list[int]:
    deltas = _from_le("Q", _unshuffle(data)).tolist()
    totals = accumulate(deltas, lambda a, b: (a + b) & _MASK)
    return [x - (1 << 64) if x >> 63 else x for x in totals]


def _split(data: bytes) -> tuple[int, int, list[bytes]]:
    if data[:3] != MAGIC:
        raise ChunkFormatError("not an iteration chunk (bad magic bytes)")
    if data[3] not in _READABLE:
        raise ChunkFormatError(f"iteration chunk format version {data[3]} is not known")
    try:
        body = zlib.decompress(data[4:])
        n, m, *lengths = _HEADER.unpack_from(body)
    except (zlib.error, struct.error) as exc:
        raise ChunkFormatError(f"iteration chunk is damaged: {exc}") from exc
    sections: list[bytes] = []
    offset = _HEADER.size
    for length in lengths:
        sections.append(body[offset : offset + length])
        offset += length
    if offset != len(body):
        raise ChunkFormatError("iteration chunk is damaged: section lengths do not add up")
    return n, m, sections


def decode_chunk(data: bytes) -> list[IterationResult]:
    """Decode one chunk made by ``encode_chunk``, exactly."""
    n, m, sec = _split(data)
    try:
        return _decode(n, m, sec, data[3])
    except (IndexError, KeyError, TypeError, ValueError, struct.error) as exc:
        raise ChunkFormatError(f"iteration chunk is damaged: {exc}") from exc


def _decode(n: int, m: int, sec: list[bytes], version: int) -> list[IterationResult]:
    meta = json.loads(sec[0])
    errors = [ErrorInfo(type=t, message=msg, traceback=tb) for t, msg, tb in meta["errors"]]
    outputs: dict[str, dict[str, Any]] = meta["outputs"]
    numbers = _unpack_deltas(sec[1])
    workers = _unpack_ints(sec[2])
    error_ids = _unpack_ints(sec[3])
    if version == 1:
        starts = _unxor_chain(sec[9])
        scheduled = _apply_residual(sec[8], [_finite(s) for s in starts])
    else:  # scheduled offsets are regular under rps: chain them, predict starts by them
        scheduled = _unxor_chain(sec[8])
        starts = _apply_residual(sec[9], [_finite(s) for s in scheduled])
    timestamps = _decode_timestamps(sec[10], starts)
    durations = _unxor_chain(sec[11])
    idles = _from_le("d", _unshuffle(sec[12])).tolist()
    cols = _ActionColumns(
        counts=_unpack_ints(sec[4]),
        names=_unpack_ints(sec[5]),
        depths=_unpack_ints(sec[6]),
        flags=_unpack_ints(sec[7]),
    )
    tree = _Tree.build(cols.counts, cols.depths)
    times = tree.decode(timestamps, sec[13])
    cols.starts, cols.ends = times[:m], times[m:]
    actions = _decode_actions(tree, cols, meta["names"], cols.counts)
    if not len(numbers) == len(scheduled) == len(timestamps) == len(idles) == n:
        raise ChunkFormatError("columns of different lengths")
    return [
        IterationResult(
            number=numbers[i],
            scheduled_offset=scheduled[i],
            start_offset=starts[i],
            timestamp=timestamps[i],
            duration=durations[i],
            idle_duration=idles[i],
            error=errors[error_ids[i] - 1] if error_ids[i] else None,
            atomic_actions=actions[i],
            output=_output_from_json(outputs[str(i)]) if str(i) in outputs else ScenarioOutput(),
            worker=workers[i],
        )
        for i in range(n)
    ]


def _decode_timestamps(data: bytes, starts: list[float]) -> list[float]:
    if not starts:
        return []
    bits = _unpack_residual_bits(data)
    first = _float(bits[0])
    base = _finite(first - starts[0])
    rest = _xor_floats(bits[1:], [_finite(base + s) for s in starts[1:]])
    return [first, *rest]
