"""A context that only waits: shows context timing in results with no cloud."""

from __future__ import annotations

import time
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from squall.contexts.base import Context
from squall.errors import ConfigError


class DummyContext(Context):
    """Sleep in setup and cleanup; fail either on purpose if asked (engine tests)."""

    name: ClassVar[str] = "dummy_context"
    order: ClassVar[int] = 750

    class Config(BaseModel):
        model_config = ConfigDict(extra="forbid")
        setup_sleep: float = Field(0, ge=0)
        cleanup_sleep: float = Field(0, ge=0)
        fail_setup: bool = False
        fail_cleanup: bool = False

    def setup(self) -> None:
        cfg = self.config
        assert isinstance(cfg, DummyContext.Config)
        time.sleep(cfg.setup_sleep)
        if cfg.fail_setup:
            raise ConfigError("dummy_context was asked to fail its setup")

    def cleanup(self) -> None:
        cfg = self.config
        assert isinstance(cfg, DummyContext.Config)
        time.sleep(cfg.cleanup_sleep)
        if cfg.fail_cleanup:
            raise ConfigError("dummy_context was asked to fail its cleanup")
