"""Keep the token out of the server's access log (``/ui/login?token=...``)."""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"(?i)([?&]token=)[^&\s]*")


def mask_query_token(text: str) -> str:
    return _TOKEN.sub(r"\1***", text)


class TokenFilter(logging.Filter):
    """Masks ``token=`` in every argument of an access-log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                mask_query_token(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        record.msg = mask_query_token(str(record.msg))
        return True


def install() -> None:
    logging.getLogger("uvicorn.access").addFilter(TokenFilter())
