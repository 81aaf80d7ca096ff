"""The one Python API the CLI and the server both call (one module per noun)."""
