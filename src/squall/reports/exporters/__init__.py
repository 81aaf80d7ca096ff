"""Exporters: write stored runs to files other tools read (family ``exporter``)."""

BUILTIN: dict[str, str] = {}
