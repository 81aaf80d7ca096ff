"""Pass/fail criteria: streaming ``add()`` + ``merge()`` + ``result()``, pure."""

BUILTIN: dict[str, str] = {}
