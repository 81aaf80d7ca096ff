"""Names and tags of everything squall creates in a cloud.

Every resource is named ``squall-<run8>-<rand>``: ``run8`` is the first 8 hex
characters of the run id (dashes removed), ``rand`` 8 random lowercase letters and
digits. Cleanup finds a run's leftovers by that prefix, and every run's by
``squall-``. Where a service supports tags the resource also carries
``squall-run=<run id>``.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass

PREFIX = "squall"
RAND_LEN = 8
_ALPHABET = string.ascii_lowercase + string.digits
NAME_RE = re.compile(rf"^{PREFIX}-(?P<run8>[0-9a-f]{{8}})-(?P<rand>[a-z0-9]{{{RAND_LEN}}})$")
#: Rally's names (``s_rally_<8>_<8>``, ``c_rally_...``) so squall can clean Rally's leftovers
RALLY_NAME_RE = re.compile(r"^[sc][_-]rally[_-](?P<run8>[0-9a-f]{8})[_-][A-Za-z0-9]{8}$")
TAG_KEY = "squall-run"


def run8(run_id: str) -> str:
    """The 8 characters of a run id that go into resource names."""
    compact = run_id.replace("-", "").lower()
    if len(compact) < 8 or not all(c in string.hexdigits for c in compact[:8]):
        raise ValueError(f"run id {run_id!r} does not start with 8 hex digits")
    return compact[:8]


def run_tag(run_id: str) -> str:
    """The tag put on resources of ``run_id`` where the service supports tags."""
    return f"{TAG_KEY}={run_id}"


@dataclass(frozen=True)
class NameGenerator:
    """Makes resource names for one run."""

    run_id: str

    @property
    def prefix(self) -> str:
        return f"{PREFIX}-{run8(self.run_id)}-"

    def __call__(self) -> str:
        rand = "".join(secrets.choice(_ALPHABET) for _ in range(RAND_LEN))
        return self.prefix + rand

    def owns(self, name: str | None) -> bool:
        return is_squall_name(name, self.run_id)


def is_squall_name(name: str | None, run_id: str | None = None) -> bool:
    """True if ``name`` was made by squall (for ``run_id`` when given)."""
    if not name:
        return False
    match = NAME_RE.match(name)
    if match is None:
        return False
    return run_id is None or match.group("run8") == run8(run_id)


def is_rally_name(name: str | None) -> bool:
    """True if ``name`` follows Rally's scenario or context resource pattern."""
    return bool(name) and RALLY_NAME_RE.match(name or "") is not None
