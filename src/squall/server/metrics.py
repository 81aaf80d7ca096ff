"""Prometheus metrics of the runs in progress: iteration rate, counts, failures, latency,
the latest state of every monitored target, and the data-plane runs in progress.

Counts and rates are read from the engine's live counters when Prometheus scrapes;
durations are observed as the engine stores each batch of iterations
(``ObservedStore``), so the latency histogram lags by at most one batch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from squall.iteration import IterationResult
from squall.results.samples import SampleStore
from squall.results.store import Store
from squall.server.dataplane_live import DataplaneManager
from squall.server.live import RunManager

BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class LiveCollector(Collector):
    """Reads the live counters of every active run at scrape time."""

    def __init__(self, manager: RunManager, dataplane: DataplaneManager | None = None) -> None:
        self.manager = manager
        self.dataplane = dataplane
        self.store = manager.store

    def collect(self) -> Iterator[Metric]:
        labels = ["run", "scenario", "workload"]
        done = GaugeMetricFamily(
            "squall_iterations", "Iterations ended in the running workload", labels=labels
        )
        failed = GaugeMetricFamily(
            "squall_iteration_failures", "Failed iterations in the running workload", labels=labels
        )
        rate = GaugeMetricFamily(
            "squall_iteration_rate", "Iterations per second in the running workload", labels=labels
        )
        active = GaugeMetricFamily("squall_runs_active", "Runs in progress in this server")
        runs = self.manager.active()
        active.add_metric([], len(runs))
        for live in runs:
            workload = live.current
            if workload is None:
                continue
            start = workload.start
            key = [live.run_id, start.scenario, f"{start.subtask_index}.{start.workload_index}"]
            done.add_metric(key, workload.counters.done)
            failed.add_metric(key, workload.counters.failed)
            rate.add_metric(key, workload.counters.rate)
        yield from (active, done, failed, rate)  # fmt: skip
        yield from self._monitors([live.run_id for live in runs if live.run_id])
        yield from self._dataplane()

    def _dataplane(self) -> Iterator[Metric]:
        """Data-plane runs in progress here, and how many test repetitions each started."""
        if self.dataplane is None:
            return
        active = GaugeMetricFamily(
            "squall_dataplane_runs_active", "Data-plane runs in progress in this server"
        )
        started = GaugeMetricFamily(
            "squall_dataplane_tests_started",
            "Test repetitions a running data-plane run has started",
            labels=["run", "test"],
        )
        runs = self.dataplane.active()
        active.add_metric([], len(runs))
        for live in runs:
            started.add_metric([live.run_id, live.current or ""], live.started_tests)
        yield from (active, started)  # fmt: skip

    def _monitors(self, run_ids: list[str]) -> Iterator[Metric]:
        """The latest stored sample of every monitored target of the running runs."""
        labels = ["run", "monitor", "target"]
        up = GaugeMetricFamily(
            "squall_monitor_ok", "1 if the target's latest probe succeeded", labels=labels
        )
        latency = GaugeMetricFamily(
            "squall_monitor_latency_seconds", "Latency of the target's latest probe", labels=labels
        )
        age = GaugeMetricFamily(
            "squall_monitor_sample_time_seconds",
            "Wall-clock time of the latest probe",
            labels=labels,
        )
        for run_id in run_ids:
            for sample in SampleStore(self.store).latest_samples(run_id):
                key = [run_id, sample.monitor, sample.target]
                up.add_metric(key, 1.0 if sample.ok else 0.0)
                age.add_metric(key, sample.at)
                if sample.latency is not None:
                    latency.add_metric(key, sample.latency)
        yield from (up, latency, age)  # fmt: skip


class Metrics:
    """The server's own registry (never the process-global one)."""

    def __init__(self, manager: RunManager, dataplane: DataplaneManager | None = None) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(LiveCollector(manager, dataplane))
        self.durations = Histogram(
            "squall_iteration_duration_seconds",
            "Durations of stored iterations of runs started by this server",
            ["outcome"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self._lock = threading.Lock()

    def observe(self, batch: Sequence[IterationResult]) -> None:
        ok = self.durations.labels(outcome="success")
        bad = self.durations.labels(outcome="failure")
        with self._lock:
            for it in batch:
                (bad if it.error is not None else ok).observe(it.duration)


class ObservedStore(Store):
    """A Store that also shows each stored batch of iterations to the metrics."""

    metrics: Metrics | None = None

    def add_iterations(self, workload_id: int, batch: Sequence[IterationResult]) -> None:
        super().add_iterations(workload_id, batch)
        if self.metrics is not None:
            self.metrics.observe(batch)
