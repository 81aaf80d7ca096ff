"""Disruptors: faults injected while load runs, verified, restored and journaled.

Each plugin builds a ``FaultPlan`` (``base``); ``run`` carries plans out phase by
phase with the undo written to the ``journal`` first; ``osfaults`` translates
os-faults sentences (Rally's ``fault_injection`` hook) into disruptor configs.
"""

BUILTIN: dict[str, str] = {
    "process": "squall.disruptors.process:Process",
    "service": "squall.disruptors.service:Service",
    "container": "squall.disruptors.container:Container",
    "node": "squall.disruptors.node:Node",
    "network": "squall.disruptors.network:Network",
}
