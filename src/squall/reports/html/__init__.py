"""The offline HTML report: one self-contained file, charts drawn by the installed plotly.

``collect`` reads stored runs into a ``Report`` (downsampled timelines, full
histograms, failure digests, markers); each module of ``sections`` renders one part
of the page; ``page`` puts them together with plotly's JavaScript inlined
(gzip-compressed, unpacked by the browser), so the file opens with no network.

To add a section (data plane, resilience, ...): write ``sections/<name>.py`` with a
``render(group, charts) -> str | None`` (per workload) or ``render(report, charts)``
(per report), and list it in ``sections/__init__.py``. To draw new events on every
time chart (faults, downtime windows): add a function to ``collect.MARKER_SOURCES``.
"""
