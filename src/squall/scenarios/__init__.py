"""What one iteration does. One scenario group per module."""

BUILTIN: dict[str, str] = {
    "Dummy.dummy": "squall.scenarios.dummy:Dummy",
    "Dummy.dummy_exception": "squall.scenarios.dummy:DummyException",
    "Dummy.dummy_exception_probability": "squall.scenarios.dummy:DummyExceptionProbability",
    "Dummy.dummy_random_fail_in_atomic": "squall.scenarios.dummy:DummyRandomFailInAtomic",
    "Dummy.dummy_random_action": "squall.scenarios.dummy:DummyRandomAction",
    "Dummy.dummy_timed_atomic_actions": "squall.scenarios.dummy:DummyTimedAtomicActions",
    "Dummy.dummy_with_scenario_output": "squall.scenarios.dummy:DummyWithScenarioOutput",
    "Dummy.dummy_output": "squall.scenarios.dummy:DummyOutput",
    "Dummy.failure": "squall.scenarios.dummy:DummyFailure",
}
