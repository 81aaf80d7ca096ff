"""When hooks fire."""

BUILTIN: dict[str, str] = {
    "event": "squall.hooks.triggers.event:EventTrigger",
    "periodic": "squall.hooks.triggers.periodic:PeriodicTrigger",
}
