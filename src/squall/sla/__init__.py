"""Pass/fail criteria: streaming ``add()`` + ``merge()`` + ``result()``, pure.

Rally's criteria keep Rally's names, arguments and semantics; ``max_percentile`` and
``min_rate`` are squall's own. ``checker.SLAChecker`` runs a workload's set.
"""

BUILTIN: dict[str, str] = {
    "failure_rate": "squall.sla.failure_rate:FailureRate",
    "max_seconds_per_iteration": "squall.sla.max_seconds_per_iteration:MaxSecondsPerIteration",
    "max_avg_duration": "squall.sla.max_avg_duration:MaxAvgDuration",
    "max_avg_duration_per_atomic": (
        "squall.sla.max_avg_duration_per_atomic:MaxAvgDurationPerAtomic"
    ),
    "outliers": "squall.sla.outliers:Outliers",
    "performance_degradation": "squall.sla.performance_degradation:PerformanceDegradation",
    "max_percentile": "squall.sla.max_percentile:MaxPercentile",
    "min_rate": "squall.sla.min_rate:MinRate",
    "max_downtime": "squall.sla.max_downtime:MaxDowntime",
}
