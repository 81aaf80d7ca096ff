"""Scheduling policy only: when may iteration i start."""

BUILTIN: dict[str, str] = {
    "constant": "squall.runners.constant:ConstantRunner",
    "constant_for_duration": "squall.runners.constant_for_duration:ConstantForDurationRunner",
    "rps": "squall.runners.rps:RPSRunner",
    "serial": "squall.runners.serial:SerialRunner",
}
