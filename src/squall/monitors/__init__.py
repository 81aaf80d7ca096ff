"""Monitors: probes on their own period all through a run; every sample is stored."""

BUILTIN: dict[str, str] = {
    "api": "squall.monitors.api:ApiMonitor",
    "services": "squall.monitors.services:ServicesMonitor",
    "host": "squall.monitors.host:HostMonitor",
    "instance": "squall.monitors.instance:InstanceMonitor",
    "prometheus": "squall.monitors.prometheus:PrometheusMonitor",
}
