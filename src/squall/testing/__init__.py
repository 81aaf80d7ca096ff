"""Fakes and helpers squall ships for its own tests and for plugin authors."""
