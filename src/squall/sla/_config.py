"""Helpers shared by the SLA plugins (private)."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ConfigDict

M = TypeVar("M", bound=BaseModel)


class CriterionConfig(BaseModel):
    """Base of SLA argument models: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def expect(config: BaseModel, model: type[M]) -> M:
    """``config`` as ``model``; a programming error if the engine passed another model."""
    if not isinstance(config, model):
        raise TypeError(f"expected {model.__name__}, got {type(config).__name__}")
    return config


def status(success: bool) -> str:
    """Rally's word for a verdict."""
    return "Passed" if success else "Failed"
