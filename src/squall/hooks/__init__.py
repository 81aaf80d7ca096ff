"""Hooks: an action fired by a trigger while a workload runs.

Triggers (``hooks.triggers``) decide when; actions (``hooks.actions``) decide what.
The family stays open: fault-injection actions plug in the same way as ``sys_call``.
"""
