"""Credentials never leave squall: mask secret-looking values before anything is shown or sent.

A value is masked when its key names a secret (password, secret, token, key,
credential, auth, ...), at any depth of dicts and lists; URLs have their password
masked wherever they appear as strings.
"""

from __future__ import annotations

import re
from typing import Any

MASK = "***"
_SECRET_KEY = re.compile(
    r"(pass(word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|credential|auth(orization)?$"
    r"|^key$|_key$|cookie|session)",
    re.IGNORECASE,
)
# the scheme is bounded: unbounded, a long run of letters (a base64 histogram) costs n²
_URL_PASSWORD = re.compile(
    r"(?P<head>[a-z][a-z0-9+.-]{0,31}://[^/\s:@]+:)(?P<pw>[^@\s/]+)(?=@)", re.I
)


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key))


def redact(value: Any) -> Any:
    """A copy of ``value`` with every secret masked (dicts, lists, tuples, strings)."""
    if isinstance(value, dict):
        return {
            k: (MASK if isinstance(k, str) and is_secret_key(k) and v else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_text(text: str) -> str:
    """``text`` with passwords inside URLs masked."""
    if "@" not in text:
        return text
    return _URL_PASSWORD.sub(lambda m: m["head"] + MASK, text)
