"""Monitors: probes on their own period all through a run; every sample is stored."""

BUILTIN: dict[str, str] = {}
