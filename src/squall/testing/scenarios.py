"""Scenarios for testing the engine with blocking (thread-pool) iterations.

Register with ``registry.add_class(BlockingSleep, origin="tests")``.
"""

from __future__ import annotations

import threading
import time
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.scenarios.base import Scenario


class BlockingSleep(Scenario):
    """Block the calling thread for ``sleep`` seconds; fail if ``fail`` is set.

    Keeps the highest number of iterations seen running at once in ``peak``.
    """

    name: ClassVar[str] = "Testing.blocking_sleep"
    running: ClassVar[int] = 0
    peak: ClassVar[int] = 0
    _lock: ClassVar[threading.Lock] = threading.Lock()

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")
        sleep: float = Field(0, ge=0)
        think: float = Field(0, ge=0)
        fail: bool = False

    @classmethod
    def reset(cls) -> None:
        cls.running = cls.peak = 0

    def run(self) -> None:
        cfg = self.config
        assert isinstance(cfg, BlockingSleep.Config)
        cls = type(self)
        with cls._lock:
            cls.running += 1
            cls.peak = max(cls.peak, cls.running)
        try:
            with self.atomics.action("block"):
                time.sleep(cfg.sleep)
            if cfg.think:
                self.sleep_between(cfg.think, cfg.think)
            if cfg.fail:
                raise RuntimeError("asked to fail")
        finally:
            with cls._lock:
                cls.running -= 1
