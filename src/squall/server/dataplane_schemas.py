"""What the data-plane routes accept and answer (their part of the OpenAPI schema).

A run's figures are summarised per test repetition (totals, percentiles, flagged
hosts); the whole stored document, encoded histograms included, is the report's and
``squall dataplane status``'s business.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from squall.reports.redact import redact
from squall.server.dataplane_live import LiveDataplane
from squall.server.schemas import Model


class PlanIn(Model):
    plan: str = Field(description="The plan file's text: YAML or JSON (Jinja2 allowed)")
    plan_args: str | None = Field(default=None, description="Template arguments: YAML, JSON or k=v")


class PlanValidOut(Model):
    title: str
    provider: str
    network_mode: str
    servers: int
    clients: int
    routers: int
    networks: int
    tests: list[str]


class DataplaneStartOut(Model):
    run_id: str
    title: str


class DataplaneRunBrief(Model):
    id: str
    title: str
    provider: str
    network_mode: str
    status: str
    error: str | None
    started_at: float
    finished_at: float | None
    agents: int
    running_here: bool = False

    @classmethod
    def of(cls, run: dict[str, Any], live: LiveDataplane | None = None) -> DataplaneRunBrief:
        return cls(
            id=run["run"],
            title=run["title"],
            provider=run["provider"],
            network_mode=run["network_mode"],
            status=run["status"],
            error=run["error"],
            started_at=run["started_at"],
            finished_at=run["finished_at"],
            agents=len(run["agents"]),
            running_here=live is not None and not live.done,
        )


class HistogramOut(Model):
    count: int
    min: float | None = None
    max: float | None = None
    percentiles: dict[str, float] = Field(default_factory=dict, description="seconds")


class DataplaneTestOut(Model):
    test: str
    tool: str
    repetition: int
    partial: bool
    pairs: int
    failed_pairs: int
    failed_agents: list[str]
    counters: dict[str, float]
    histograms: dict[str, HistogramOut]
    intervals: int
    max_start_skew: float | None
    bad_hosts: list[str]

    @classmethod
    def of(cls, test: dict[str, Any]) -> DataplaneTestOut:
        pairs = test.get("pairs") or []
        return cls(
            test=test["test"],
            tool=test["tool"],
            repetition=test["repetition"],
            partial=bool(test.get("partial")),
            pairs=len(pairs),
            failed_pairs=sum(1 for p in pairs if p.get("status") != "ok"),
            failed_agents=list(test.get("failed_agents") or []),
            counters=dict(test.get("counters") or {}),
            histograms={
                name: HistogramOut(
                    count=h.get("count", 0),
                    min=h.get("min"),
                    max=h.get("max"),
                    percentiles=h.get("percentiles") or {},
                )
                for name, h in (test.get("histograms") or {}).items()
            },
            intervals=len(test.get("intervals") or []),
            max_start_skew=(test.get("start_skew") or {}).get("max"),
            bad_hosts=list(test.get("bad_hosts") or []),
        )


class DataplaneRunOut(DataplaneRunBrief):
    plan: dict[str, Any]
    environment: dict[str, Any]
    rejected_messages: int
    tests: list[DataplaneTestOut]

    @classmethod
    def full(cls, run: dict[str, Any], live: LiveDataplane | None = None) -> DataplaneRunOut:
        brief = DataplaneRunBrief.of(run, live)
        return cls(
            **brief.model_dump(),
            plan=redact(run["plan"]),
            environment=redact(run["environment"]),
            rejected_messages=run["rejected_messages"],
            tests=[DataplaneTestOut.of(t) for t in run["tests"]],
        )


class DataplaneProgressOut(Model):
    run_id: str
    title: str
    status: str
    running_here: bool
    error: str | None = None
    current_test: str | None = None
    tests_started: int = 0
    tests_stored: int = 0
    log: list[str] = Field(default_factory=list, description="The run's latest lines")
