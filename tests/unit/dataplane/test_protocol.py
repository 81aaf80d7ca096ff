"""The wire protocol: signatures, versions, runs, replays, clock offsets."""

from __future__ import annotations

import json

import pytest

from squall.dataplane.agent import protocol


def _message(seq: int = 1, run: str = "run1") -> protocol.Message:
    return protocol.Message(protocol.POLL, run, "a1", seq, 1.5, {"wait": 2})


def test_round_trip_keeps_every_field():
    raw, signature = _message().encode("s3cret")
    message = protocol.decode("s3cret", raw, signature, "run1")
    assert message == _message()


def test_bad_signature_is_refused():
    raw, _ = _message().encode("s3cret")
    with pytest.raises(protocol.ProtocolError, match="bad signature"):
        protocol.decode("s3cret", raw, protocol.sign("other", raw), "run1")


def test_tampered_body_is_refused():
    raw, signature = _message().encode("s3cret")
    tampered = raw.replace(b'"wait":2', b'"wait":9')
    with pytest.raises(protocol.ProtocolError, match="bad signature"):
        protocol.decode("s3cret", tampered, signature, "run1")


@pytest.mark.parametrize("signature", [None, "", "sha1=abc", "v1="])
def test_missing_or_foreign_signature_is_refused(signature):
    raw, _ = _message().encode("s3cret")
    with pytest.raises(protocol.ProtocolError):
        protocol.decode("s3cret", raw, signature, "run1")


def test_other_version_is_refused_even_when_signed():
    raw = json.dumps(
        {"v": 99, "run": "run1", "kind": "poll", "agent": "a", "seq": 1, "ts": 0, "body": {}}
    ).encode()
    with pytest.raises(protocol.ProtocolError, match="version 99"):
        protocol.decode("k", raw, protocol.sign("k", raw), "run1")


def test_message_of_another_run_is_refused():
    raw, signature = _message(run="run2").encode("k")
    with pytest.raises(protocol.ProtocolError, match="run2"):
        protocol.decode("k", raw, signature, "run1")


def test_malformed_signed_message_is_refused():
    raw = json.dumps(
        {"v": 1, "run": "run1", "kind": "poll", "agent": "a", "seq": "x", "ts": 0, "body": {}}
    ).encode()
    with pytest.raises(protocol.ProtocolError, match="malformed"):
        protocol.decode("k", raw, protocol.sign("k", raw), "run1")


def test_sequence_guard_refuses_replays_per_sender():
    guard = protocol.SequenceGuard()
    guard.check("a", 5)
    guard.check("b", 1)
    with pytest.raises(protocol.ProtocolError, match="replayed"):
        guard.check("a", 5)
    with pytest.raises(protocol.ProtocolError):
        guard.check("a", 4)
    guard.check("a", 6)


def test_clock_offset_of_a_symmetric_exchange():
    # remote clock 10 s ahead, 2 ms each way, 1 ms processing
    offset, delay = protocol.clock_offset(100.000, 110.002, 110.003, 100.005)
    assert offset == pytest.approx(10.0)
    assert delay == pytest.approx(0.004)


def test_secrets_are_fresh_and_long():
    first, second = protocol.new_secret(), protocol.new_secret()
    assert first != second
    assert len(first) == 64
