"""Runs a task: contexts up -> runner + hooks -> SLA -> contexts down -> store.

The engine knows the plugin base classes, never a concrete plugin.
"""
