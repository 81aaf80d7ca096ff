"""What squall and its test workers say to each other (pickled over a local socket).

Standard library only: the worker imports it next to the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SetupScope(StrEnum):
    """When class (and module, session) fixtures are set up.

    - ``process``: once per worker process, kept across its iterations;
    - ``action``: for every iteration (a fresh pytest run each time);
    - ``global``: once for the whole run, before the workers fork from one template
      process, so every worker shares it.
    """

    PROCESS = "process"
    ACTION = "action"
    GLOBAL = "global"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"  # an assertion (or pytest.fail) in the test body
    ERROR = "error"  # any other exception, or a failing setup/teardown
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Phase:
    """One pytest phase of an execution, wall-clock seconds."""

    name: str  # setup, call, teardown
    start: float
    stop: float
    failed: bool = False


@dataclass(frozen=True)
class Execution:
    """What one execution of one test gave."""

    nodeid: str
    outcome: Outcome
    phases: list[Phase] = field(default_factory=list)
    where: str = ""  # the phase that failed
    exc_type: str = ""
    message: str = ""
    longrepr: str = ""


# Messages: tuples whose first item names them.
#   worker/template -> squall: ("ready", pid, [nodeid, ...]) | ("error", text)
#                              | ("worker", pid) | ("result", Execution)
#   squall -> template:        ("fork",) | ("stop",)
#   squall -> worker:          ("run", index) | ("stop",)
READY, ERROR, WORKER, RESULT = "ready", "error", "worker", "result"
FORK, RUN, STOP = "fork", "run", "stop"
AUTHKEY_ENV = "SQUALL_STRESS_AUTHKEY"
