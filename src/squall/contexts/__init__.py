"""Staging before load, cleanup after: one context plugin per module."""

BUILTIN: dict[str, str] = {
    "dummy_context": "squall.contexts.dummy:DummyContext",
}
