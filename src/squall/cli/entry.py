"""The console entry point: as little as possible before the command line is parsed.

Ctrl-C while the command modules are still being imported exits 1 quietly, like
Ctrl-C anywhere else.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from squall.cli.main import main as run
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(1)
    run()
