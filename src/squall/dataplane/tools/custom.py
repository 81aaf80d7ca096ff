"""Custom tests: a stdlib Python file in the plan's ``custom_tests`` folder defines one.

The file travels to agents inside the signed agent bundle (``agent/custom/``) and runs
there on client instances at the common start: ``run(target, args, duration)`` returns
counters (summed over agents) and lists of microsecond latencies (merged as HdrHistograms).
The operator's side never imports it: it is checked by reading its syntax tree.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from squall.dataplane.agent import protocol
from squall.dataplane.tools.base import ClientCommand, Measurement, Target, Timing, Tool
from squall.stats.histogram import Histogram


class CustomArgs(BaseModel):
    """Anything: the custom test reads its own arguments."""

    model_config = ConfigDict(extra="allow")


def find_custom_test(folder: Path, name: str) -> str | None:
    """A problem with ``folder/name.py`` as a custom test, or None when it is usable."""
    if not name.isidentifier():
        return f"{name!r} is not a valid custom test name (a Python module name)"
    path = folder / f"{name}.py"
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except FileNotFoundError:
        return f"no {name}.py in {folder}"
    except (OSError, SyntaxError, UnicodeDecodeError) as exc:
        return f"{path} cannot be read as Python: {exc}"
    if not any(isinstance(n, ast.FunctionDef) and n.name == "run" for n in tree.body):
        return f"{path} defines no run(target, args, duration) function"
    return None


class Custom(Tool):
    """A test from the plan's custom_tests folder, run by client agents."""

    name: ClassVar[str] = "custom"
    Config = CustomArgs

    def __init__(self, test: str) -> None:
        self.test = test

    def client_command(self, args: Any, target: Target, timing: Timing) -> ClientCommand:
        spec = {
            "test": self.test,
            "args": args.model_dump(),
            "target": {"host": target.host, "port": target.port, "server": target.server},
            "duration": timing.duration,
        }
        return ClientCommand(protocol.OP_CUSTOM, spec=spec, timeout=timing.duration + 60)

    def parse(self, args: Any, report: dict[str, Any], timing: Timing) -> Measurement:
        counters = {str(k): float(v) for k, v in dict(report.get("counters", {})).items()}
        histograms = {
            str(k): Histogram.decode(str(v)) for k, v in dict(report.get("histograms", {})).items()
        }
        return Measurement(counters=counters, histograms=histograms)
