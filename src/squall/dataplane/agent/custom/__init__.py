"""Custom tests: the bundle builder copies a plan's ``custom_tests`` folder here.

Each module is stdlib-only and defines ``run(target, args, duration) -> dict`` returning
``{"counters": {name: number}, "latencies_us": {name: [int, ...]}}``. It runs inside the
agent, on client instances, at the common start; it reaches instances only inside the
signed bundle, never in a command.
"""
