"""A PromQL query's value, optionally held within bounds."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from typing import ClassVar

from pydantic import Field

from squall.monitors.base import Monitor, MonitorConfig, Probe


class PrometheusConfig(MonitorConfig):
    url: str = Field(description="Prometheus base URL, e.g. http://127.0.0.1:9090")
    query: str = Field(min_length=1, description="an instant PromQL query")
    min: float | None = Field(None, description="a value below this is a failed sample")
    max: float | None = Field(None, description="a value above this is a failed sample")
    timeout: float = Field(5.0, gt=0)


def parse_result(body: bytes) -> list[tuple[str, float]]:
    """(series label, value) for each series of an instant-query answer (pure)."""
    data = json.loads(body)
    if data.get("status") != "success":
        raise ValueError(data.get("error") or "query failed")
    result = data["data"]
    if result["resultType"] == "scalar":
        return [("scalar", float(result["result"][1]))]
    series = []
    for item in result["result"]:
        labels = item.get("metric", {})
        label = ",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "value"
        series.append((label, float(item["value"][1])))
    return series


class PrometheusMonitor(Monitor):
    """``/api/v1/query`` each period: one target per returned series, its value
    stored; failed when out of ``[min, max]`` or when Prometheus does not answer."""

    name: ClassVar[str] = "prometheus"
    Config: ClassVar = PrometheusConfig

    def sample(self) -> list[Probe]:
        cfg = self.config
        assert isinstance(cfg, PrometheusConfig)
        url = f"{cfg.url.rstrip('/')}/api/v1/query?" + urllib.parse.urlencode({"query": cfg.query})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=cfg.timeout) as answer:
                series = parse_result(answer.read())
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            return [Probe(cfg.query, False, time.perf_counter() - started, detail=str(exc))]
        latency = time.perf_counter() - started
        return [
            Probe(label, _within(value, cfg.min, cfg.max), latency, value)
            for label, value in series
        ]


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)
