"""What hooks do."""

BUILTIN: dict[str, str] = {
    "sys_call": "squall.hooks.actions.sys_call:SysCall",
    "disruptor": "squall.hooks.actions.disruptor:DisruptorAction",
    "fault_injection": "squall.hooks.actions.fault_injection:FaultInjection",
}
