"""Parts of an iteration record that every JSON export writes alike (private).

squall's ``squall.run/1`` and ``squall.run/2`` and Rally's ``format_version`` 1.2 all
write a scenario's output charts with Rally's chart keys; squall's two schemas also
share the error object.
"""

from __future__ import annotations

from typing import Any

from squall.iteration import ErrorInfo, OutputChart, ScenarioOutput


def output_json(output: ScenarioOutput) -> dict[str, Any]:
    """``{"additive": [...], "complete": [...]}``, each a list of chart objects."""
    return {
        "additive": [chart_json(c) for c in output.additive],
        "complete": [chart_json(c) for c in output.complete],
    }


def chart_json(chart: OutputChart) -> dict[str, Any]:
    return {
        "title": chart.title,
        "description": chart.description,
        "chart_plugin": chart.chart_plugin,
        "data": chart.data,
        "label": chart.label,
        "axis_label": chart.axis_label,
    }


def error_json(error: ErrorInfo | None) -> dict[str, str] | None:
    """squall's error object (Rally writes a list instead), or None for no error."""
    if error is None:
        return None
    return {"type": error.type, "message": error.message, "traceback": error.traceback}
