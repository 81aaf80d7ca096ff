"""The input: what to run. Models, loader, Rally compatibility, validation (pure)."""
