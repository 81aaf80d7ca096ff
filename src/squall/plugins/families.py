"""The plugin families squall knows. Each family lives in a package of its own."""

from __future__ import annotations

from enum import StrEnum


class Family(StrEnum):
    SCENARIO = "scenario"
    RUNNER = "runner"
    CONTEXT = "context"
    SLA = "sla"
    TRIGGER = "trigger"
    HOOK = "hook"
    EXPORTER = "exporter"
    DISRUPTOR = "disruptor"
    MONITOR = "monitor"
    TOOL = "tool"
