"""Scenario output (Rally's additive and complete charts), gathered for the report.

Additive charts give one ``[name, value]`` row per series and iteration: their values
are kept per series (8 bytes each) and drawn binned over iteration numbers. Complete
charts are drawn as given, for the first ``MAX_COMPLETE`` iterations that have them.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any

from squall.iteration import IterationResult, OutputChart

MAX_COMPLETE = 3
MAX_CHARTS = 20


@dataclass(slots=True)
class AdditiveSeries:
    numbers: array[int] = field(default_factory=lambda: array("q"))
    values: array[float] = field(default_factory=lambda: array("d"))


@dataclass(slots=True)
class AdditiveChart:
    title: str
    plugin: str
    description: str
    label: str
    axis_label: str
    series: dict[str, AdditiveSeries] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CompleteChart:
    iteration: int
    chart: OutputChart


@dataclass(slots=True)
class OutputDigest:
    additive: dict[tuple[str, str], AdditiveChart] = field(default_factory=dict)
    complete: list[CompleteChart] = field(default_factory=list)
    iterations_with_complete: int = 0

    def add(self, it: IterationResult) -> None:
        output = it.output
        if not output:
            return
        for chart in output.additive:
            self._additive(it.number, chart)
        if output.complete and self.iterations_with_complete < MAX_COMPLETE:
            self.iterations_with_complete += 1
            self.complete.extend(CompleteChart(it.number, c) for c in output.complete)

    def _additive(self, number: int, chart: OutputChart) -> None:
        key = (chart.title, chart.chart_plugin)
        found = self.additive.get(key)
        if found is None:
            if len(self.additive) >= MAX_CHARTS:
                return
            found = self.additive[key] = AdditiveChart(
                chart.title, chart.chart_plugin, chart.description, chart.label, chart.axis_label
            )
        for row in chart.data:
            name, value = _pair(row)
            if name is None:
                continue
            series = found.series.get(name)
            if series is None:
                series = found.series[name] = AdditiveSeries()
            series.numbers.append(number)
            series.values.append(value)


def _pair(row: Any) -> tuple[str | None, float]:
    if isinstance(row, list | tuple) and len(row) == 2:
        try:
            return str(row[0]), float(row[1])
        except (TypeError, ValueError):
            return None, 0.0
    return None, 0.0
