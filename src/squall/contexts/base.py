"""The context family contract.

A context prepares what a workload's iterations need (users, networks, images...)
before the load and removes it afterwards. Contexts are set up in ascending
``order`` and cleaned up in reverse; a context whose setup failed is still
cleaned up. ``setup`` and ``cleanup`` may block: the engine runs them off the loop.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

from pydantic import BaseModel

from squall.plugins.base import Plugin
from squall.plugins.families import Family
from squall.scenarios.base import ScenarioContext


class Context(Plugin):
    """Base of every context plugin."""

    family: ClassVar = Family.CONTEXT
    #: lower runs first (Rally: users 100, quotas 300, network 1000, servers 2000...)
    order: ClassVar[int] = 1000

    def __init__(self, config: BaseModel, context: ScenarioContext) -> None:
        self.config = config
        self.context = context

    @abstractmethod
    def setup(self) -> None:
        """Create what the workload needs and ``self.context.put()`` it."""

    @abstractmethod
    def cleanup(self) -> None:
        """Remove what ``setup`` created, even if it only partly succeeded."""
