"""``python3 -m squall.dataplane.agent --config agent.json``."""

from __future__ import annotations

import sys

from .main import main

if __name__ == "__main__":
    sys.exit(main())
