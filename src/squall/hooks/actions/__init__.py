"""What hooks do."""

BUILTIN: dict[str, str] = {
    "sys_call": "squall.hooks.actions.sys_call:SysCall",
}
