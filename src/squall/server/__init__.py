"""``squall server``: the REST API (FastAPI, OpenAPI 3), live progress, web UI, metrics.

Every route needs the bearer token (header ``Authorization: Bearer TOKEN``, or the
``squall_token`` cookie the web UI gets from ``/ui/login?token=TOKEN``). Routes call
the same ``squall.api`` functions as the CLI; a started task runs in a background
thread of the server process and reports progress through the engine's
``Progress`` protocol, which feeds the SSE stream and the Prometheus metrics.
"""
