"""Helpers for benchmarks/engine_vs_rally.py: parse, measure, print."""
