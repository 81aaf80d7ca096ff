"""Project workflow: turn an OpenStack project's repository into a ready
performance-test setup (``rally-jobs/`` plus a Zuul job), see ``squall init-jobs``.

- ``catalogue``: the core operations of each service, kept as data;
- ``detect``: which service a repository tree is, and why;
- ``task_text``: the task file (Rally v2 or squall's format) for a service;
- ``docs``: the README files of ``rally-jobs/``;
- ``zuul``: a job and a project-pipeline entry merged into ``.zuul.yaml`` text;
- ``files``: the plan of files to write, and atomic writes;
- ``scaffold``: all of the above in one call.
"""
