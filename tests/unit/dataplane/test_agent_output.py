"""What the agent keeps of a tool's output: new lines per interim report, head and tail at the end."""

from __future__ import annotations

from squall.dataplane.agent.output import KeptOutput


def _lines(n: int) -> list[bytes]:
    return [f"line {i:04d}\n".encode() for i in range(n)]  # 10 bytes each


def test_short_output_is_kept_whole_and_streamed_once():
    out = KeptOutput(1000, streaming=True)
    lines = _lines(5)
    for line in lines[:3]:
        out.add(line)
    assert out.take() == b"".join(lines[:3])
    for line in lines[3:]:
        out.add(line)
    assert out.take() == b"".join(lines[3:])
    assert out.take() == b""
    assert out.kept() == b"".join(lines)
    assert out.skipped == 0


def test_long_output_keeps_its_first_and_last_halves_and_counts_the_rest():
    out = KeptOutput(100)  # 50 bytes of head, 50 of tail
    lines = _lines(30)
    for line in lines:
        out.add(line)
    assert out.kept() == b"".join(lines[:5] + lines[-5:])
    assert out.skipped == 20 * 10
    assert out.take() == b""  # not streaming: nothing held for interim reports


def test_streaming_goes_on_past_the_limit():
    out = KeptOutput(40, streaming=True)
    lines = _lines(12)
    for line in lines[:10]:
        out.add(line)
    out.take()
    for line in lines[10:]:
        out.add(line)
    assert out.take() == b"".join(lines[10:])


def test_a_line_longer_than_the_tail_is_still_kept():
    out = KeptOutput(20)
    out.add(b"x" * 5 + b"\n")
    out.add(b"y" * 50 + b"\n")
    assert out.kept() == b"x" * 5 + b"\n" + b"y" * 50 + b"\n"
