"""sys_call runs real commands: exit status decides, JSON stdout becomes charts."""

from __future__ import annotations

import json
import sys

from squall.hooks.actions.sys_call import SysCall


def call(cmd, **extra):
    return SysCall(SysCall.parse_config(cmd if not extra else {"cmd": cmd, **extra})).run()


def test_bare_string_is_the_command_and_success_keeps_text_output():
    outcome = call("echo hello")
    assert outcome.status == "success"
    assert outcome.output["complete"][0]["data"] == ["hello"]


def test_nonzero_exit_fails_with_details():
    outcome = call(
        f"{sys.executable} -c 'import sys; print(\"bad\", file=sys.stderr); sys.exit(3)'"
    )
    assert outcome.status == "failed"
    assert outcome.error["msg"] == "Subprocess returned 3"
    assert outcome.error["details"] == "bad"


def test_json_stdout_becomes_additive_and_complete_charts():
    payload = {"additive": [{"title": "t", "chart_plugin": "Lines", "data": [[1, 2]]}]}
    outcome = call(f"{sys.executable} -c 'print({json.dumps(json.dumps(payload))})'")
    assert outcome.status == "success"
    assert outcome.output == {"additive": payload["additive"], "complete": []}


def test_missing_program_fails_without_raising():
    outcome = call("/nonexistent/program --flag")
    assert outcome.status == "failed"
    assert outcome.error["etype"] == "FileNotFoundError"


def test_timeout_fails_the_hook():
    outcome = call("sleep 5", timeout=0.1)
    assert outcome.status == "failed"
    assert outcome.error["etype"] == "TimeoutExpired"
