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
actions as described at ``Tree``.

Layout::

    b"SQI" | version (1 byte) | zlib( header | section 0 | section 1 | ... )
    header = "<QQ" (iterations, actions) + "<Q" * SECTIONS (section lengths)
"""

from __future__ import annotations

import gc
import json
import struct
import zlib
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from squall.iteration import ErrorInfo, IterationResult, OutputChart, ScenarioOutput
from squall.results._actions import ActionColumns, Interner, Tree, decode_actions, flatten
from squall.results._columns import (
    ChunkFormatError,
    apply_residual,
    finite,
    finite_all,
    from_le,
    le,
    pack_deltas,
    pack_ints,
    pack_residual,
    shuffle,
    timestamp_predictors,
    to_float,
    unpack_deltas,
    unpack_ints,
    unpack_residual_bits,
    unshuffle,
    unxor_chain,
    xor_chain,
    xor_floats,
)

__all__ = ["MAGIC", "VERSION", "ChunkFormatError", "decode_chunk", "encode_chunk"]

MAGIC = b"SQI"
VERSION = 2  # 1: start offsets chained, scheduled ones predicted by them
_READABLE = (1, 2)
_SECTIONS = 14
_HEADER = struct.Struct("<" + "Q" * (2 + _SECTIONS))
_LEVEL = 6


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
    intern = Interner()
    actions = ActionColumns()
    side = _SideTable()
    for i, it in enumerate(batch):
        before = len(actions.names)
        flatten(it.atomic_actions, 0, actions, intern)
        actions.counts.append(len(actions.names) - before)
        if it.output.additive or it.output.complete:
            side.outputs[str(i)] = _output_to_json(it.output)
    error_ids = [side.error_index(it.error) for it in batch]
    scheduled = [it.scheduled_offset for it in batch]
    starts = [it.start_offset for it in batch]
    timestamps = [it.timestamp for it in batch]
    tree = Tree.build(actions.counts, actions.depths)
    sections = [
        side.to_json(intern.table()),
        pack_deltas([it.number for it in batch]),
        pack_ints(it.worker for it in batch),
        pack_ints(error_ids),
        pack_ints(actions.counts),
        pack_ints(actions.names),
        pack_ints(actions.depths),
        pack_ints(actions.flags),
        xor_chain(scheduled),
        pack_residual(starts, finite_all(scheduled)),
        pack_residual(timestamps, timestamp_predictors(timestamps, starts)),
        xor_chain([it.duration for it in batch]),
        shuffle(le(array("d", (it.idle_duration for it in batch)))),
        tree.residuals(timestamps, [*actions.starts, *actions.ends]),
    ]
    header = _HEADER.pack(len(batch), len(actions.names), *(len(s) for s in sections))
    body = zlib.compress(header + b"".join(sections), _LEVEL)
    return MAGIC + bytes([VERSION]) + body


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
        with _collector_paused():
            return _decode(n, m, sec, data[3])
    except (IndexError, KeyError, TypeError, ValueError, struct.error) as exc:
        raise ChunkFormatError(f"iteration chunk is damaged: {exc}") from exc


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a chunk's records are built.

    They are tens of thousands of new containers with no reference cycles among
    them: the collector, triggered every few hundred allocations, would only walk
    them (and every older object) again and again, more than doubling the time
    a chunk takes to read. Only ever re-enabled, never disabled, on the way out,
    so threads decoding at once cannot leave it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _decode(n: int, m: int, sec: list[bytes], version: int) -> list[IterationResult]:
    meta = json.loads(sec[0])
    errors = [ErrorInfo(type=t, message=msg, traceback=tb) for t, msg, tb in meta["errors"]]
    outputs: dict[str, dict[str, Any]] = meta["outputs"]
    numbers = unpack_deltas(sec[1])
    workers = unpack_ints(sec[2])
    error_ids = unpack_ints(sec[3])
    if version == 1:
        starts = unxor_chain(sec[9])
        scheduled = apply_residual(sec[8], finite_all(starts))
    else:  # scheduled offsets are regular under rps: chain them, predict starts by them
        scheduled = unxor_chain(sec[8])
        starts = apply_residual(sec[9], finite_all(scheduled))
    timestamps = _decode_timestamps(sec[10], starts)
    durations = unxor_chain(sec[11])
    idles = from_le("d", unshuffle(sec[12])).tolist()
    tree = Tree.build(unpack_ints(sec[4]), unpack_ints(sec[6]))
    times = tree.decode(timestamps, sec[13])
    actions = decode_actions(tree, meta["names"], unpack_ints(sec[5]), unpack_ints(sec[7]), times)
    columns = (numbers, scheduled, starts, timestamps, durations, idles, error_ids, workers)
    if any(len(column) != n for column in (*columns, actions)) or len(times) != 2 * m:
        raise ChunkFormatError("columns of different lengths")
    by_id: list[ErrorInfo | None] = [None, *errors]
    # one call per column, none per iteration: a chunk holds thousands of them
    return list(
        map(
            IterationResult,
            numbers,
            scheduled,
            starts,
            timestamps,
            durations,
            idles,
            map(by_id.__getitem__, error_ids),
            actions,
            _outputs(outputs, n),
            workers,
        )
    )


def _outputs(stored: dict[str, dict[str, Any]], n: int) -> list[ScenarioOutput]:
    if not stored:
        return [ScenarioOutput() for _ in range(n)]
    return [
        _output_from_json(stored[str(i)]) if str(i) in stored else ScenarioOutput()
        for i in range(n)
    ]


def _decode_timestamps(data: bytes, starts: list[float]) -> list[float]:
    if not starts:
        return []
    bits = unpack_residual_bits(data)
    first = to_float(bits[0])
    base = finite(first - starts[0])
    rest = xor_floats(bits[1:], finite_all(base + s for s in starts[1:]))
    return [first, *rest]
