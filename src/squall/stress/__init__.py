"""Stress mode: existing Python tests as the unit of load.

A pool of worker processes, each running pytest's own machinery (so fixtures,
``setUpClass`` and conftest files behave as in a normal test run), executes one
test per iteration; the ``Python.test`` scenario feeds each execution through the
engine, so SLA criteria, progress, the results store and exports apply as to any
workload. ``squall stress`` builds such a task in memory.

- ``protocol``: the messages between squall and its workers;
- ``worker``: the worker program (``python -m squall.stress.worker``), pytest side;
- ``pool``: squall's side: start, lease and stop workers;
- ``collect``: resolve test ids and discover marked tests before a run;
- ``task``: the in-memory task ``squall stress`` runs.
"""
