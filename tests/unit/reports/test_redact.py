from __future__ import annotations

from squall.reports.push import _batches
from squall.reports.redact import MASK, redact, redact_text


def test_secret_keys_are_masked_at_any_depth():
    value = {
        "auth": {"username": "u", "password": "p"},
        "users": [{"name": "a", "password": "p2", "api_key": "k"}],
        "token": "t",
        "keypair": {"name": "kp"},
        "empty_password": "",
        "tuple": ("x", {"secret": "s"}),
    }
    masked = redact(value)
    assert masked["auth"] == MASK
    assert masked["users"][0] == {"name": "a", "password": MASK, "api_key": MASK}
    assert masked["token"] == MASK
    assert masked["keypair"] == {"name": "kp"}
    assert masked["empty_password"] == ""  # nothing to hide
    assert masked["tuple"] == ["x", {"secret": MASK}]
    assert value["token"] == "t"  # a copy


def test_passwords_in_urls_are_masked():
    assert (
        redact_text("postgresql+psycopg://me:pw@db:5432/x")
        == f"postgresql+psycopg://me:{MASK}@db:5432/x"
    )
    assert redact_text("see https://user:s3cr3t@host/v3 and http://plain/host") == (
        f"see https://user:{MASK}@host/v3 and http://plain/host"
    )
    assert redact({"url": "https://a:b@c"}) == {"url": f"https://a:{MASK}@c"}


def test_bulk_bodies_keep_action_and_source_together():
    lines = [f"action{i}\n" if i % 2 == 0 else f"source{i}\n" for i in range(10)]
    batches = list(_batches(lines, limit=30))
    assert sum(docs for _, docs in batches) == 5
    assert b"".join(body for body, _ in batches).decode() == "".join(lines)
    for body, _ in batches:
        text = body.decode().splitlines()
        assert len(text) % 2 == 0 and text[0].startswith("action")


def test_a_url_after_a_long_run_of_letters_is_masked():
    # an encoded histogram is a long base64 word: the scan over it must stay linear
    blob = "QUJD" * 250_000
    text = f"{blob} then http://admin:pw@host/ and {blob}@"
    assert redact_text(text) == f"{blob} then http://admin:{MASK}@host/ and {blob}@"
    assert redact_text(blob) == blob
