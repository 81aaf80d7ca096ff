"""Figures, their goals and how a figure line is printed. Pure."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from enginebench.measures import Distribution
from enginebench.results import SummaryRow


class Bound(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="
    WITHIN = "="  # |value - threshold| <= tolerance


class Subject(StrEnum):
    SQUALL = "squall"  # the goal is on squall's own value
    RATIO = "ratio"  # the goal is on squall / rally


@dataclass(frozen=True, slots=True)
class Goal:
    subject: Subject
    bound: Bound
    threshold: float
    tolerance: float = 0.0
    text: str = ""

    def holds(self, value: float | None) -> bool:
        if value is None or math.isnan(value):
            return False
        if self.bound is Bound.AT_LEAST:
            return value >= self.threshold
        if self.bound is Bound.AT_MOST:
            return value <= self.threshold
        return abs(value - self.threshold) <= self.tolerance

    def describe(self, unit: str) -> str:
        if self.text:
            return self.text
        within = f" ± {_number(self.tolerance)}" if self.bound is Bound.WITHIN else ""
        target = f"{self.bound.value} {_number(self.threshold)}{within}"
        if self.subject is Subject.RATIO:
            return f"ratio {target}"
        return f"squall {target}{_unit(unit)}"


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure: squall's value, Rally's (if it ran it), and the verdict."""

    name: str
    unit: str
    squall: float | None
    rally: float | None
    goal: Goal
    detail: str = ""
    load: tuple[float, float, float] | None = None

    @property
    def ratio(self) -> float | None:
        if self.squall is None or self.rally is None or self.rally == 0:
            return None
        return self.squall / self.rally

    @property
    def passed(self) -> bool:
        value = self.ratio if self.goal.subject is Subject.RATIO else self.squall
        return self.goal.holds(value)

    def with_load(self, load: tuple[float, float, float]) -> Figure:
        return Figure(self.name, self.unit, self.squall, self.rally, self.goal, self.detail, load)


def _number(value: float) -> str:
    if value == 0 or 0.01 <= abs(value) < 1e6:
        return f"{value:.4g}" if abs(value) < 10 else f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def _unit(unit: str) -> str:
    if not unit:
        return ""
    return unit if unit == "%" else f" {unit}"


def _value(value: float | None, unit: str) -> str:
    return "n/a" if value is None else f"{_number(value)}{_unit(unit)}"


def format_figure(figure: Figure) -> str:
    """``name: squall X, rally Y, ratio Z (goal ...): PASS/FAIL [load a b c]``."""
    ratio = "n/a" if figure.ratio is None else f"{figure.ratio:.3g}"
    line = (
        f"{figure.name}: squall {_value(figure.squall, figure.unit)}, "
        f"rally {_value(figure.rally, figure.unit)}, ratio {ratio} "
        f"(goal {figure.goal.describe(figure.unit)}): {'PASS' if figure.passed else 'FAIL'}"
    )
    if figure.load is not None:
        line += " [load {:.2f} {:.2f} {:.2f}]".format(*figure.load)
    if figure.detail:
        line += f"\n    {figure.detail}"
    return line


def summary_mismatches(
    summary: SummaryRow | None, exact: Distribution, abs_tol: float = 1e-6
) -> list[str]:
    """Where a tool's summary row disagrees with an independent exact computation.

    Each entry reads ``field: tool X != exact Y``; an empty list means they agree
    within ``abs_tol`` seconds (and the count is equal).
    """
    if summary is None:
        return ["summary: the tool gave no 'total' row"]
    problems = []
    if summary.count != exact.count:
        problems.append(f"count: tool {summary.count} != exact {exact.count}")
    pairs = {
        "min": (summary.min, exact.min),
        "median": (summary.median, exact.median),
        "p90": (summary.p90, exact.p90),
        "p95": (summary.p95, exact.p95),
        "p99": (summary.p99, exact.p99),
        "max": (summary.max, exact.max),
        "avg": (summary.avg, exact.avg),
    }
    for name, (told, truth) in pairs.items():
        if told is None or not math.isclose(told, truth, rel_tol=1e-9, abs_tol=abs_tol):
            problems.append(f"{name}: tool {told!r} != exact {truth!r}")
    return problems
