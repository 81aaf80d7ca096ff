"""Run a command: a non-zero exit fails the hook; JSON on stdout becomes charts."""

from __future__ import annotations

import json
import shlex
import subprocess
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.hooks.base import HookAction, HookOutcome


class SysCall(HookAction):
    """Run ``cmd`` (split like a shell would, but not through a shell).

    Exit status ≠ 0 marks the hook failed. If stdout is JSON of the form
    ``{"additive": [...], "complete": [...]}`` it becomes report charts, otherwise
    stdout is kept as a text chart.
    """

    name: ClassVar[str] = "sys_call"
    scalar_field: ClassVar[str | None] = "cmd"

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")
        cmd: str = Field(min_length=1, description="the command line to run")
        timeout: float | None = Field(None, gt=0, description="seconds before it is killed")

    def run(self) -> HookOutcome:
        cfg = self.config
        assert isinstance(cfg, SysCall.Config)
        try:
            proc = subprocess.run(
                shlex.split(cfg.cmd),
                capture_output=True,
                text=True,
                timeout=cfg.timeout,
                check=False,
            )
        except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
            return HookOutcome("failed", error=_error(type(exc).__name__, str(exc)))
        output = _output(proc.stdout)
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip()
            return HookOutcome(
                "failed",
                error=_error("n/a", f"Subprocess returned {proc.returncode}", detail),
                output=output,
            )
        return HookOutcome("success", output=output)


def _error(etype: str, msg: str, details: str = "") -> dict[str, str]:
    return {"etype": etype, "msg": msg, "details": details}


def _output(stdout: str) -> dict[str, Any] | None:
    text = stdout.strip()
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and set(data) <= {"additive", "complete"}:
        return {"additive": data.get("additive", []), "complete": data.get("complete", [])}
    chart = {"title": "System call", "chart_plugin": "TextArea", "data": [text]}
    return {"additive": [], "complete": [chart]}
